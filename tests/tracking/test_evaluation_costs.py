"""The check of cost thresholds (tracking.evaluation): marketing cost against the campaign's
budget or a budget line."""

from decimal import Decimal

import pytest

from tests.factories import BudgetLineFactory, channel, record, set_value
from tracking.evaluation import evaluate_all
from tracking.models import ThresholdKind
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db


def test_cost_above_budget_counts_only_cost_metrics_of_the_campaign(campaign, now):
    record(campaign, "marketing_cost", {1: 200000, 2: 120000})
    record(campaign, "units_sold", {1: 900000})
    threshold = threshold_create(kind=ThresholdKind.COST_ABOVE_BUDGET, campaign=campaign, percent=Decimal(10))

    evaluate_all(now=now)
    # 320,000 is 6.7% over a 300,000 budget.
    assert not threshold.alerts.unresolved().exists()

    set_value(campaign, "marketing_cost", 2, 140000)
    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal("340000"), Decimal("300000"))

    set_value(campaign, "marketing_cost", 2, 0)
    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()


def test_cost_above_a_budget_line_counts_the_plans_cost_on_its_channel_and_sub_channels(campaign, now):
    line = BudgetLineFactory(plan=campaign.plan, channel=channel("online"), planned_amount=Decimal("100000"))
    record(campaign, "marketing_cost", {1: 60000}, channel_code="ecommerce")
    record(campaign, "marketing_cost", {1: 40000}, channel_code="online")
    record(campaign, "marketing_cost", {1: 90000}, channel_code="stores")
    threshold = threshold_create(
        kind=ThresholdKind.COST_ABOVE_BUDGET, campaign=campaign, budget_line=line, percent=Decimal(5)
    )

    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()

    record(campaign, "marketing_cost", {2: 10000}, channel_code="short_video")
    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal("110000"), Decimal("100000"))
