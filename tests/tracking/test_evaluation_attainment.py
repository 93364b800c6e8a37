"""The check of attainment thresholds (tracking.evaluation): paced and plain, for metrics where
more is better and where less is, and before the target's period starts."""

from datetime import date
from decimal import Decimal

import pytest

from notifications.models import Notification
from tests.factories import CampaignFactory, TargetFactory, metric, record, set_value
from tracking.evaluation import evaluate_all
from tracking.models import AlertState, NotificationKind, ThresholdKind
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db


def test_a_paced_attainment_threshold_opens_an_alert_when_sales_trail_the_pace(campaign, now):
    target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
    record(campaign, "units_sold", {1: 2000, 2: 3000})
    threshold = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), paced=True)

    report = evaluate_all(now=now)

    alert = threshold.alerts.unresolved().get()
    # 14 of 30 days elapsed: 14,000 expected by today; 5,000 is 35.7% of it.
    assert (alert.observed, alert.expected) == (Decimal("5000"), Decimal("14000"))
    assert alert.campaign == campaign
    assert alert.target == target
    assert "35.7%" in alert.summary
    assert [o.threshold_id for o in report.opened] == [threshold.pk]
    assert Notification.objects.filter(alert=alert, kind=NotificationKind.ALERT_OPENED).get().recipient == (
        campaign.owner
    )


def test_paced_and_plain_thresholds_judge_the_same_actual_differently(campaign, now):
    target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
    record(campaign, "units_sold", {1: 11500})
    paced = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), paced=True)
    plain = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), paced=False)

    evaluate_all(now=now)

    # 11,500 is 82% of the 14,000 due by today, but only 38% of the 30,000 target.
    assert not paced.alerts.unresolved().exists()
    alert = plain.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal("11500"), Decimal("30000"))


def test_an_attainment_threshold_recovers_when_the_actual_catches_up(campaign, now):
    target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
    record(campaign, "units_sold", {1: 5000})
    threshold = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80))
    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()

    set_value(campaign, "units_sold", 1, 12000)
    report = evaluate_all(now=now)

    alert.refresh_from_db()
    assert alert.state == AlertState.AUTO_RESOLVED
    assert alert.observed == Decimal("12000")
    assert alert.resolved_at == now
    assert [o.threshold_id for o in report.resolved] == [threshold.pk]


def test_attainment_of_a_lower_is_better_metric_breaches_when_it_rises_above_the_percentage(campaign, now):
    # A cost target is a cap: attainment is actual ÷ target, as for every metric, and where
    # lower is better the miss is above: "above 125%" breaches past 375,000 of 300,000.
    target = TargetFactory(campaign=campaign, metric=metric("marketing_cost"), target_value=Decimal("300000"))
    record(campaign, "marketing_cost", {1: 375000})
    threshold = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(125), paced=False)

    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()

    set_value(campaign, "marketing_cost", 1, "375000.01")
    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal("375000.01"), Decimal("300000"))

    set_value(campaign, "marketing_cost", 1, 100000)
    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()


def test_a_paced_lower_is_better_threshold_compares_spend_with_the_allowance_to_date(campaign, now):
    target = TargetFactory(campaign=campaign, metric=metric("marketing_cost"), target_value=Decimal("300000"))
    # 140,000 allowed by day 14; "above 100%" breaches past it.
    record(campaign, "marketing_cost", {1: 140000})
    threshold = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(100), paced=True)

    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()

    set_value(campaign, "marketing_cost", 1, 140001)
    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()
    assert alert.expected == Decimal("140000")


def test_a_higher_is_better_level_metric_is_judged_against_the_target_even_when_paced(campaign, now):
    # Conversion rate is an average: a level, not a running total, so pace does not apply.
    target = TargetFactory(campaign=campaign, metric=metric("ctr"), target_value=Decimal("3"))
    record(campaign, "ctr", {1: "2.0", 2: "2.2"})
    threshold = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), paced=True)

    evaluate_all(now=now)

    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal("2.1"), Decimal("3"))


def test_an_attainment_threshold_before_its_period_starts_opens_nothing(now):
    campaign = CampaignFactory(start_date=date(2026, 7, 1), end_date=date(2026, 7, 31))
    target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
    threshold = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), paced=False)

    report = evaluate_all(now=now)

    assert not threshold.alerts.unresolved().exists()
    assert report.within == 1
