"""The check runs a fixed number of queries however many thresholds, values and alerts there are."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import islice

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Campaign, Channel, MetricValue, Target
from tests.factories import (
    AnnualPlanFactory,
    CampaignFactory,
    MilestoneFactory,
    StageFactory,
    TargetFactory,
    TaskFactory,
    metric,
    record,
)
from tracking import evaluation
from tracking.evaluation import evaluate_all
from tracking.models import Threshold, ThresholdKind
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db

# Campaigns of the factories run through June 2026; the 14th is day 14 of 30.
TODAY = date(2026, 6, 14)


def _world(*, campaigns: list[Campaign], thresholds: int, values: int, start: int = 0) -> None:
    """Thresholds of every kind over the campaigns, none breached, and `values` metric values."""
    targets = {c.pk: Target.objects.filter(campaign=c).first() or TargetFactory(campaign=c) for c in campaigns}
    kinds = [
        {"kind": ThresholdKind.ATTAINMENT_BELOW, "percent": Decimal(0)},
        {"kind": ThresholdKind.VALUE_BELOW, "metric": metric("units_sold"), "bound": Decimal(0), "window_days": 7},
        {"kind": ThresholdKind.VALUE_ABOVE, "metric": metric("ctr"), "bound": Decimal(100), "window_days": 14},
        {
            "kind": ThresholdKind.BENCHMARK_BELOW,
            "metric": metric("conversion_rate"),
            "percent": Decimal(100),
            "benchmark_value": Decimal(3),
        },
        {"kind": ThresholdKind.COST_ABOVE_BUDGET, "percent": Decimal(1000)},
        {"kind": ThresholdKind.TASKS_OVERDUE, "min_count": 1000},
        {"kind": ThresholdKind.MILESTONE_MISSED},
    ]
    rows = []
    for n in range(start, start + thresholds):
        campaign = campaigns[n % len(campaigns)]
        fields = kinds[n % len(kinds)]
        scope = {"target": targets[campaign.pk]} if fields["kind"] == ThresholdKind.ATTAINMENT_BELOW else {}
        rows.append(Threshold(campaign=campaign, **scope, **fields))
    Threshold.objects.bulk_create(rows)
    # Conversion rate is derived: its benchmark reads orders and visitors.
    codes = [metric(code) for code in ("units_sold", "ctr", "orders", "visitors", "marketing_cost")]
    channels = [None, *Channel.objects.order_by("pk")]
    # Every (campaign, metric, channel, day) once, over the 45 days up to today: all inside the
    # windows and periods the thresholds read.
    keys = (
        (campaign, metric_, channel_, TODAY - timedelta(days=day))
        for day in range(45)
        for channel_ in channels
        for metric_ in codes
        for campaign in campaigns
    )
    new = []
    skip = MetricValue.objects.count()
    for campaign, metric_, channel_, day in islice(keys, skip, skip + values):
        new.append(
            MetricValue(
                metric=metric_,
                plan=campaign.plan,
                campaign=campaign,
                channel=channel_,
                date=day,
                value=Decimal(1),
            )
        )
    MetricValue.objects.bulk_create(new, batch_size=2000)


def _queries(now) -> tuple[int, evaluation.CheckReport]:
    with CaptureQueriesContext(connection) as context:
        report = evaluate_all(now=now)
    return len(context.captured_queries), report


def test_the_check_runs_the_same_queries_for_10_or_200_thresholds_and_100_or_10000_values(now):
    plan = AnnualPlanFactory()
    campaigns = [CampaignFactory(plan=plan, owner=plan.owner) for _ in range(10)]
    for campaign in campaigns:
        stage = StageFactory(campaign=campaign)
        TaskFactory(stage=stage, due_date=date(2026, 6, 1))
        MilestoneFactory(stage=stage, due_date=date(2026, 6, 30))
    _world(campaigns=campaigns, thresholds=10, values=100)

    small, small_report = _queries(now)

    _world(campaigns=campaigns, thresholds=190, values=9900, start=10)
    assert MetricValue.objects.count() == 10000
    large, large_report = _queries(now)

    assert small_report.within == 10
    assert large_report.within == 200
    assert not large_report.opened
    assert not large_report.not_evaluable
    assert not large_report.errors
    # Thresholds, target actuals, window aggregates, the cost metrics and costs, overdue tasks,
    # missed milestones, open alerts.
    assert small == large == 8


def test_continuing_breaches_are_kept_in_the_same_queries_for_2_or_20_alerts(campaign, now):
    target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
    record(campaign, "units_sold", {1: 100})

    def kept_queries(count: int) -> int:
        for n in range(count):
            threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(10 + n))
        evaluate_all(now=now)  # opens the new ones
        queries, report = _queries(now)
        assert not report.opened
        assert len(report.kept) == Threshold.objects.count()
        return queries

    assert kept_queries(2) == kept_queries(18)
