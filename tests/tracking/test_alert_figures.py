"""An alert's figures read in what it measures: a count whole (not 23,333.33 units), a cost in
¥ with 万 in Chinese, in the alert's text and on the alert pages."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import TargetFactory, record
from tracking.evaluation import evaluate_all
from tracking.models import ThresholdKind
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def units_alert(campaign, now):
    """Units sold at 5,000 against 23,333.33 expected by day 14 of 30 (of a 50,000 goal)."""
    target = TargetFactory(campaign=campaign, target_value=Decimal("50000"))
    record(campaign, "units_sold", {1: 5000})
    threshold = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), paced=True)
    evaluate_all(now=now)
    return threshold.alerts.get()


@pytest.fixture
def cost_alert(campaign, now):
    record(campaign, "marketing_cost", {1: 340000})
    threshold = threshold_create(kind=ThresholdKind.COST_ABOVE_BUDGET, campaign=campaign, percent=Decimal(10))
    evaluate_all(now=now)
    return threshold.alerts.get()


def test_an_expected_count_is_written_whole_in_the_alerts_text(units_alert):
    assert units_alert.expected == Decimal("23333.3333")
    assert "23,333 " in units_alert.summary
    assert "23,333.33" not in units_alert.summary
    assert "2.33万" in units_alert.summary_zh


def test_a_cost_alerts_text_reads_in_yuan(cost_alert):
    assert "¥340,000" in cost_alert.summary
    assert "¥300,000" in cost_alert.summary
    assert "¥34万" in cost_alert.summary_zh


def test_the_alert_page_shows_the_expected_count_whole(client, manager, units_alert):
    client.force_login(manager)

    html = client.get(units_alert.get_absolute_url()).content.decode()

    assert 'id="alert-expected">23,333<' in html


def test_the_alert_list_shows_a_cost_in_wan_in_chinese(client, manager, cost_alert):
    manager.language = "zh-hans"
    manager.save()
    client.force_login(manager)

    html = client.get(reverse("tracking:alert_list")).content.decode()

    assert "¥34万" in html
    assert "¥30万" in html


def test_the_notification_says_the_expected_count_whole(units_alert):
    from tracking.models import NotificationKind
    from tracking.services.alerts import alert_message

    with translation.override("en"):
        _title, body = alert_message(units_alert, NotificationKind.ALERT_OPENED, "en")

    assert "expected 23,333. Start" in body
