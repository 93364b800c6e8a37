"""The check of value and benchmark thresholds (tracking.evaluation): a metric's values over a
window, summed, averaged or the latest, on a channel, against a bound or a benchmark."""

from decimal import Decimal

import pytest

from tests.factories import CampaignFactory, TargetFactory, channel, metric, record, set_value
from tracking.evaluation import evaluate_all
from tracking.models import ThresholdKind
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db


# Values over a window ---------------------------------------------------------------------


def test_value_below_averages_the_window_and_ignores_older_values(campaign, now):
    # Last 7 days: 8–14 June. The good day before the window does not lift the average.
    record(campaign, "ctr", {1: "9.0", 8: "1.0", 10: "1.1", 13: "1.2"})
    threshold = threshold_create(
        kind=ThresholdKind.VALUE_BELOW,
        campaign=campaign,
        metric=metric("ctr"),
        bound=Decimal("1.2"),
        window_days=7,
    )

    evaluate_all(now=now)

    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal("1.1"), Decimal("1.2"))
    assert "last 7 days" in alert.summary

    set_value(campaign, "ctr", 8, "2.0")
    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()


def test_value_above_sums_a_summed_metric_over_the_window(campaign, now):
    record(campaign, "marketing_cost", {11: 10000, 12: 12000, 13: 9000, 14: 500})
    threshold = threshold_create(
        kind=ThresholdKind.VALUE_ABOVE,
        campaign=campaign,
        metric=metric("marketing_cost"),
        bound=Decimal("20000"),
        window_days=2,
    )

    evaluate_all(now=now)
    # 13 and 14 June: 9,500.
    assert not threshold.alerts.unresolved().exists()

    set_value(campaign, "marketing_cost", 14, 15000)
    evaluate_all(now=now)
    assert threshold.alerts.unresolved().get().observed == Decimal("24000")

    set_value(campaign, "marketing_cost", 14, 0)
    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()


def test_a_last_value_metric_takes_the_latest_day_of_the_window(campaign, now):
    record(campaign, "members", {10: 900, 12: 1200, 13: 800})
    threshold = threshold_create(
        kind=ThresholdKind.VALUE_BELOW, campaign=campaign, metric=metric("members"), bound=1000, window_days=7
    )

    evaluate_all(now=now)

    assert threshold.alerts.unresolved().get().observed == Decimal("800")


def test_a_value_threshold_on_a_channel_counts_only_that_channel(campaign, now):
    record(campaign, "units_sold", {13: 100}, channel_code="online")
    record(campaign, "units_sold", {13: 5000}, channel_code="offline")
    threshold = threshold_create(
        kind=ThresholdKind.VALUE_BELOW,
        campaign=campaign,
        metric=metric("units_sold"),
        channel=channel("online"),
        bound=1000,
        window_days=7,
    )

    evaluate_all(now=now)

    assert threshold.alerts.unresolved().get().observed == Decimal("100")


def test_a_value_threshold_does_not_count_another_campaigns_values(campaign, now):
    other = CampaignFactory(plan=campaign.plan)
    record(other, "units_sold", {13: 5000})
    record(campaign, "units_sold", {13: 10})
    threshold = threshold_create(
        kind=ThresholdKind.VALUE_BELOW, campaign=campaign, metric=metric("units_sold"), bound=100, window_days=3
    )

    evaluate_all(now=now)

    assert threshold.alerts.unresolved().get().observed == Decimal("10")


# Benchmarks -------------------------------------------------------------------------------


def test_a_benchmark_threshold_breaches_when_more_than_the_share_below_the_benchmark(campaign, now):
    # The template's 活动率低于行业平均20%: 2.2% is 26.7% below an industry average of 3.0%.
    record(campaign, "ctr", {12: "2.2", 13: "2.2"})
    threshold = threshold_create(
        kind=ThresholdKind.BENCHMARK_BELOW,
        campaign=campaign,
        metric=metric("ctr"),
        percent=Decimal(20),
        benchmark_value=Decimal("3.0"),
        benchmark_source="行业报告 2026",
        window_days=7,
    )

    evaluate_all(now=now)

    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal("2.2"), Decimal("3"))
    assert "26.7% below" in alert.summary
    assert "行业报告 2026" in alert.summary

    # 2.5 is 16.7% below: within the threshold.
    set_value(campaign, "ctr", 12, "2.8")
    set_value(campaign, "ctr", 13, "2.2")
    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()


def test_a_benchmark_on_a_lower_is_better_metric_breaches_when_above_it(campaign, now):
    threshold = threshold_create(
        kind=ThresholdKind.BENCHMARK_BELOW,
        campaign=campaign,
        metric=metric("cac"),
        percent=Decimal(20),
        benchmark_value=Decimal("50"),
        window_days=30,
    )
    # An acquisition cost well under the industry's is good news, not an alert. CAC is derived
    # (marketing cost / new customers): its components are recorded, never the CAC itself.
    record(campaign, "marketing_cost", {10: 3000})
    record(campaign, "new_customers", {10: 100})
    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()

    set_value(campaign, "marketing_cost", 10, 6500)
    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()
    assert "30% above" in alert.summary


def test_a_benchmark_without_a_window_uses_the_targets_period(campaign, now):
    target = TargetFactory(campaign=campaign, metric=metric("ctr"), target_value=Decimal("3"))
    record(campaign, "ctr", {1: "1.0", 2: "2.0"})
    threshold = threshold_create(
        kind=ThresholdKind.BENCHMARK_BELOW, target=target, percent=Decimal(20), benchmark_value=Decimal("3.0")
    )

    evaluate_all(now=now)

    assert threshold.alerts.unresolved().get().observed == Decimal("1.5")
