from decimal import Decimal

import pytest
from django.utils import translation

from tests.factories import metric
from tracking.models import Threshold, ThresholdKind
from tracking.rules import describe

pytestmark = pytest.mark.django_db


def value_rule(bound) -> Threshold:
    return Threshold(kind=ThresholdKind.VALUE_BELOW, metric=metric("units_sold"), bound=bound, window_days=7)


def test_a_rules_figures_group_thousands_in_english():
    with translation.override("en"):
        assert describe(value_rule(Decimal(320_000))).endswith("is below 320,000")


def test_a_rules_figures_read_in_wan_in_chinese():
    with translation.override("zh-hans"):
        assert "32万" in describe(value_rule(Decimal(320_000)))


def test_a_rules_figures_keep_the_thresholds_four_decimals():
    with translation.override("en"):
        assert describe(value_rule(Decimal("0.0350"))).endswith("is below 0.035")


def test_a_figure_the_rule_still_lacks_reads_as_a_question_mark():
    with translation.override("en"):
        assert describe(value_rule(None)).endswith("is below ?")
