"""Thresholds on derived metrics (a ratio of two metrics: ROI, CAC, cost per sale, conversion
rate): the check computes them from their components, over the window or the target's period,
and judges them at the boundary like any other metric. A value typed for a derived metric
(before it was derived) counts nowhere."""

from decimal import Decimal

import pytest

from tests.factories import TargetFactory, channel, metric, record, set_value
from tracking.evaluation import evaluate_all
from tracking.models import ThresholdKind
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db


def _roi(campaign, profit: dict, cost: dict):
    record(campaign, "marketing_net_profit", profit)
    record(campaign, "marketing_cost", cost)


def test_value_below_on_roi_divides_its_components_over_the_window(campaign, now):
    # Inside the last 7 days (8–14 June): profit 40,000 on a cost of 10,000, ROI 4 exactly.
    # The 1 June day (outside) and a typed ROI of 99 do not count.
    _roi(campaign, {1: 1000, 9: 30000, 12: 10000}, {1: 90000, 9: 6000, 12: 4000})
    record(campaign, "roi", {13: 99})
    threshold = threshold_create(
        kind=ThresholdKind.VALUE_BELOW, campaign=campaign, metric=metric("roi"), bound=Decimal(4), window_days=7
    )

    report = evaluate_all(now=now)

    assert report.counts()["errors"] == report.counts()["not_evaluable"] == 0
    assert not threshold.alerts.exists()  # exactly on the bound: not below it
    assert report.within == 1

    set_value(campaign, "marketing_net_profit", 12, "9999")
    evaluate_all(now=now)

    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal("3.9999"), Decimal(4))


def test_value_above_on_cac_at_its_bound(campaign, now):
    # CAC = marketing cost / new customers: 12,000 / 100 = 120 exactly.
    record(campaign, "marketing_cost", {10: 12000})
    record(campaign, "new_customers", {10: 60, 11: 40})
    threshold = threshold_create(
        kind=ThresholdKind.VALUE_ABOVE, campaign=campaign, metric=metric("cac"), bound=Decimal(120), window_days=7
    )

    evaluate_all(now=now)
    assert not threshold.alerts.exists()

    set_value(campaign, "new_customers", 11, 39)
    evaluate_all(now=now)
    assert threshold.alerts.unresolved().get().observed == Decimal("121.2121")


def test_benchmark_on_roi_at_its_boundary(campaign, now):
    # Benchmark 5, alert when more than 20% below: ROI 4 is exactly 20% below.
    _roi(campaign, {10: 40000}, {10: 10000})
    threshold = threshold_create(
        kind=ThresholdKind.BENCHMARK_BELOW,
        campaign=campaign,
        metric=metric("roi"),
        benchmark_value=Decimal(5),
        benchmark_source="行业均值",
        percent=Decimal(20),
        window_days=7,
    )

    evaluate_all(now=now)
    assert not threshold.alerts.exists()

    set_value(campaign, "marketing_net_profit", 10, "39999")
    evaluate_all(now=now)
    assert threshold.alerts.unresolved().get().observed == Decimal("3.9999")


def test_a_derived_metric_with_no_denominator_is_not_evaluable_not_an_error(campaign, now):
    record(campaign, "marketing_net_profit", {10: 40000})
    threshold_create(
        kind=ThresholdKind.VALUE_BELOW, campaign=campaign, metric=metric("roi"), bound=Decimal(4), window_days=7
    )

    report = evaluate_all(now=now)

    assert (report.counts()["errors"], report.counts()["not_evaluable"]) == (0, 1)
    assert "ROI" in report.not_evaluable[0].message


@pytest.mark.parametrize("paced", [False, True])
def test_attainment_on_an_roi_goal_at_its_boundary(campaign, now, paced):
    # A ratio does not accumulate: paced or not, ROI 4 against a target of 5 is 80%.
    target = TargetFactory(campaign=campaign, metric=metric("roi"), target_value=Decimal(5))
    _roi(campaign, {3: 40000}, {3: 10000})
    threshold = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), paced=paced)

    evaluate_all(now=now)
    assert not threshold.alerts.exists()

    set_value(campaign, "marketing_net_profit", 3, "39999")
    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal("3.9999"), Decimal(5))


@pytest.mark.parametrize("paced", [False, True])
def test_attainment_on_a_cost_per_sale_goal_is_judged_above_the_share(campaign, now, paced):
    # Lower is better: 110 per unit against a target of 100 is 110%, the alert is above 110%.
    target = TargetFactory(campaign=campaign, metric=metric("cost_per_sale"), target_value=Decimal(100))
    record(campaign, "marketing_cost", {3: 11000})
    record(campaign, "units_sold", {3: 100})
    threshold = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(110), paced=paced)

    evaluate_all(now=now)
    assert not threshold.alerts.exists()

    set_value(campaign, "marketing_cost", 3, "11001")
    evaluate_all(now=now)
    assert threshold.alerts.unresolved().get().observed == Decimal("110.0100")


def test_value_below_on_conversion_rate_reads_orders_over_visitors_in_percent(campaign, now):
    # Conversion rate = orders / visitors × 100: 66 of 3,000 online visitors is 2.2% exactly.
    record(campaign, "orders", {9: 30, 13: 36}, channel_code="online")
    record(campaign, "visitors", {9: 1000, 13: 2000}, channel_code="online")
    record(campaign, "orders", {13: 900}, channel_code="offline")  # another channel
    threshold = threshold_create(
        kind=ThresholdKind.VALUE_BELOW,
        campaign=campaign,
        metric=metric("conversion_rate"),
        channel=channel("online"),
        bound=Decimal("2.2"),
        window_days=7,
    )

    evaluate_all(now=now)
    assert not threshold.alerts.exists()

    set_value(campaign, "visitors", 13, 2001)
    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal("2.1993"), Decimal("2.2"))
    assert "%" in alert.summary


def test_the_benchmark_on_conversion_rate_without_a_window_reads_the_targets_period(campaign, now):
    # Benchmark 3%, alert more than 20% below: 2.4% is exactly 20% below.
    target = TargetFactory(campaign=campaign, metric=metric("conversion_rate"), target_value=Decimal(3))
    record(campaign, "orders", {1: 12, 2: 12})
    record(campaign, "visitors", {1: 500, 2: 500})
    threshold = threshold_create(
        kind=ThresholdKind.BENCHMARK_BELOW, target=target, percent=Decimal(20), benchmark_value=Decimal(3)
    )

    evaluate_all(now=now)
    assert not threshold.alerts.exists()

    set_value(campaign, "orders", 2, 11)
    evaluate_all(now=now)
    assert threshold.alerts.unresolved().get().observed == Decimal("2.3000")
