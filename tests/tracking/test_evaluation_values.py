"""The threshold check (tracking.evaluation.evaluate_all), its job and its command."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from itertools import islice
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from plans.models import Campaign, Channel, MetricValue, Target, metric_value_key
from tasks.models import TaskStatus
from tests.factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CampaignFactory,
    MetricValueFactory,
    MilestoneFactory,
    StageFactory,
    TargetFactory,
    TaskFactory,
    UserFactory,
    channel,
    metric,
    record,
    set_value,
)
from tracking import evaluation, jobs
from tracking.evaluation import evaluate_all
from tracking.models import Alert, AlertState, NotificationKind, Severity, Threshold, ThresholdKind
from tracking.services import alerts
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db

# Campaigns of the factories run through June 2026; the 14th is day 14 of 30.
TODAY = date(2026, 6, 14)


@pytest.fixture
def now():
    return datetime(2026, 6, 14, 12, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))


@pytest.fixture
def frozen(now, monkeypatch):
    """The job and the command read the clock: stop it at `now`."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    return now


@pytest.fixture
def campaign():
    return CampaignFactory(budget=Decimal("300000"))


# Attainment -----------------------------------------------------------------------------------


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


def test_attainment_of_a_lower_is_better_metric_breaches_when_the_actual_exceeds_the_allowance(campaign, now):
    # A cost target is a cap: attainment is target ÷ actual, so "below 80%" means over 125% of it.
    target = TargetFactory(campaign=campaign, metric=metric("marketing_cost"), target_value=Decimal("300000"))
    record(campaign, "marketing_cost", {1: 370000})
    threshold = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), paced=False)

    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()

    set_value(campaign, "marketing_cost", 1, 380000)
    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal("380000"), Decimal("300000"))

    set_value(campaign, "marketing_cost", 1, 100000)
    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()


def test_a_paced_lower_is_better_threshold_compares_spend_with_the_allowance_to_date(campaign, now):
    target = TargetFactory(campaign=campaign, metric=metric("marketing_cost"), target_value=Decimal("300000"))
    # 140,000 allowed by day 14; 80% attainment means spending more than 175,000.
    record(campaign, "marketing_cost", {1: 180000})
    threshold = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), paced=True)

    evaluate_all(now=now)

    alert = threshold.alerts.unresolved().get()
    assert alert.expected == Decimal("140000")


def test_a_higher_is_better_level_metric_is_judged_against_the_target_even_when_paced(campaign, now):
    # Conversion rate is an average: a level, not a running total, so pace does not apply.
    target = TargetFactory(campaign=campaign, metric=metric("conversion_rate"), target_value=Decimal("3"))
    record(campaign, "conversion_rate", {1: "2.0", 2: "2.2"})
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


# Values over a window -------------------------------------------------------------------------


def test_value_below_averages_the_window_and_ignores_older_values(campaign, now):
    # Last 7 days: 8–14 June. The good day before the window does not lift the average.
    record(campaign, "conversion_rate", {1: "9.0", 8: "1.0", 10: "1.1", 13: "1.2"})
    threshold = threshold_create(
        kind=ThresholdKind.VALUE_BELOW,
        campaign=campaign,
        metric=metric("conversion_rate"),
        bound=Decimal("1.2"),
        window_days=7,
    )

    evaluate_all(now=now)

    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal("1.1"), Decimal("1.2"))
    assert "last 7 days" in alert.summary

    set_value(campaign, "conversion_rate", 8, "2.0")
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


# Benchmarks ---------------------------------------------------------------------------------


def test_a_benchmark_threshold_breaches_when_more_than_the_share_below_the_benchmark(campaign, now):
    # The template's 活动率低于行业平均20%: 2.2% is 26.7% below an industry average of 3.0%.
    record(campaign, "conversion_rate", {12: "2.2", 13: "2.2"})
    threshold = threshold_create(
        kind=ThresholdKind.BENCHMARK_BELOW,
        campaign=campaign,
        metric=metric("conversion_rate"),
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
    set_value(campaign, "conversion_rate", 12, "2.8")
    set_value(campaign, "conversion_rate", 13, "2.2")
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
    # An acquisition cost well under the industry's is good news, not an alert.
    record(campaign, "cac", {10: 30})
    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()

    set_value(campaign, "cac", 10, 65)
    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()
    assert "30% above" in alert.summary


def test_a_benchmark_without_a_window_uses_the_targets_period(campaign, now):
    target = TargetFactory(campaign=campaign, metric=metric("conversion_rate"), target_value=Decimal("3"))
    record(campaign, "conversion_rate", {1: "1.0", 2: "2.0"})
    threshold = threshold_create(
        kind=ThresholdKind.BENCHMARK_BELOW, target=target, percent=Decimal(20), benchmark_value=Decimal("3.0")
    )

    evaluate_all(now=now)

    assert threshold.alerts.unresolved().get().observed == Decimal("1.5")


# Cost ---------------------------------------------------------------------------------------


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


# Tasks and milestones -----------------------------------------------------------------------


def test_tasks_overdue_breaches_on_any_overdue_task_and_recovers_when_done(campaign, now):
    stage = StageFactory(campaign=campaign)
    late = TaskFactory(stage=stage, due_date=date(2026, 6, 10))
    TaskFactory(stage=stage, due_date=date(2026, 6, 10), status=TaskStatus.DONE)
    TaskFactory(stage=stage, due_date=TODAY)
    threshold = threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)

    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal(1), Decimal(0))

    late.status = TaskStatus.DONE
    late.save()
    evaluate_all(now=now)
    alert.refresh_from_db()
    assert alert.state == AlertState.AUTO_RESOLVED


def test_tasks_overdue_with_a_count_breaches_only_above_it(campaign, now):
    stage = StageFactory(campaign=campaign)
    for _ in range(2):
        TaskFactory(stage=stage, due_date=date(2026, 6, 1))
    threshold = threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign, min_count=2)

    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()

    TaskFactory(stage=stage, due_date=date(2026, 6, 1))
    evaluate_all(now=now)
    assert threshold.alerts.unresolved().get().observed == Decimal(3)


def test_a_missed_milestone_opens_an_alert_naming_it_and_reaching_it_resolves_it(campaign, now):
    stage = StageFactory(campaign=campaign)
    missed = MilestoneFactory(stage=stage, name="KOL videos live", due_date=date(2026, 6, 9))
    MilestoneFactory(stage=stage, due_date=date(2026, 6, 8), reached_on=date(2026, 6, 8))
    MilestoneFactory(stage=stage, due_date=date(2026, 6, 20))
    threshold = threshold_create(kind=ThresholdKind.MILESTONE_MISSED, campaign=campaign, severity=Severity.CRITICAL)

    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()
    assert "KOL videos live (due 2026-06-09)" in alert.summary
    assert alert.severity == Severity.CRITICAL

    missed.reached_on = date(2026, 6, 14)
    missed.save()
    evaluate_all(now=now)
    alert.refresh_from_db()
    assert alert.state == AlertState.AUTO_RESOLVED


# The alert lifecycle --------------------------------------------------------------------------


@pytest.fixture
def breaching(campaign):
    """A campaign goal at a third of its pace, watched by a threshold that notifies two people."""
    target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
    record(campaign, "units_sold", {1: 5000})
    extra = UserFactory(username="ecommerce")
    return threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), recipients=[extra])


def test_a_continuing_breach_keeps_the_alert_and_notifies_nobody_again(breaching, campaign, now):
    evaluate_all(now=now)
    alert = breaching.alerts.unresolved().get()
    notified = Notification.objects.count()
    assert notified == 2

    set_value(campaign, "units_sold", 1, 6000)
    later = now + timedelta(minutes=15)
    report = evaluate_all(now=later)

    assert breaching.alerts.unresolved().get() == alert
    assert Notification.objects.count() == notified
    assert [o.threshold_id for o in report.kept] == [breaching.pk]
    alert.refresh_from_db()
    assert alert.observed == Decimal("6000")
    assert alert.last_checked_at == later
    assert alert.opened_at == now


def test_an_acknowledged_alert_is_kept_while_the_breach_lasts(breaching, manager, now):
    evaluate_all(now=now)
    alert = breaching.alerts.unresolved().get()
    alerts.alert_acknowledge(alert=alert, by=manager, note="Looking at the traffic")

    report = evaluate_all(now=now)

    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED
    assert len(report.kept) == 1
    assert Alert.objects.count() == 1


def test_a_recovery_resolves_the_alert_and_tells_the_same_people(breaching, campaign, now):
    evaluate_all(now=now)
    alert = breaching.alerts.unresolved().get()
    told = set(Notification.objects.filter(alert=alert).values_list("recipient_id", flat=True))
    # Someone added to the threshold later was never told it opened, so is not told it recovered.
    breaching.recipients.add(UserFactory())

    set_value(campaign, "units_sold", 1, 20000)
    evaluate_all(now=now)

    alert.refresh_from_db()
    assert alert.state == AlertState.AUTO_RESOLVED
    recovered = Notification.objects.filter(alert=alert, kind=NotificationKind.ALERT_RECOVERED)
    assert set(recovered.values_list("recipient_id", flat=True)) == told


def test_a_breach_after_a_recovery_opens_a_new_alert(breaching, campaign, now):
    evaluate_all(now=now)
    set_value(campaign, "units_sold", 1, 20000)
    evaluate_all(now=now)
    set_value(campaign, "units_sold", 1, 1000)

    report = evaluate_all(now=now)

    assert len(report.opened) == 1
    assert Alert.objects.filter(threshold=breaching).count() == 2
    assert breaching.alerts.unresolved().count() == 1


def test_running_the_check_twice_gives_the_same_state(breaching, campaign, frozen):
    stage = StageFactory(campaign=campaign)
    TaskFactory(stage=stage, due_date=date(2026, 6, 1))
    threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)
    threshold_create(kind=ThresholdKind.COST_ABOVE_BUDGET, campaign=campaign, percent=Decimal(10))

    def state():
        return (
            list(Alert.objects.order_by("pk").values("pk", "threshold_id", "state", "observed", "expected")),
            list(Notification.objects.order_by("pk").values_list("pk", flat=True)),
        )

    jobs.check_thresholds()
    first = state()
    counts = jobs.check_thresholds()

    assert state() == first
    assert len(first[0]) == 2
    assert counts == {
        "checked": 3,
        "opened": 0,
        "kept": 2,
        "resolved": 0,
        "within": 1,
        "not_evaluable": 0,
        "errors": 0,
    }


def test_inactive_thresholds_are_not_checked(breaching, now):
    breaching.is_active = False
    breaching.save()

    report = evaluate_all(now=now)

    assert report.checked == 0
    assert not Alert.objects.exists()


def test_thresholds_are_checked_in_batches(campaign, now):
    target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
    record(campaign, "units_sold", {1: 5000})
    thresholds = [
        threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(50 + n)) for n in range(7)
    ]

    report = evaluate_all(now=now, batch_size=3)

    assert report.batches == 3
    assert report.checked == 7
    assert Alert.objects.unresolved().count() == len(thresholds)


# Malformed thresholds and errors ------------------------------------------------------------


def test_a_negative_percentage_is_refused_with_a_clear_message(campaign):
    target = TargetFactory(campaign=campaign)

    with pytest.raises(ValidationError) as error:
        threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(-5))

    assert error.value.message_dict["percent"] == ["The percentage cannot be negative."]


def test_malformed_thresholds_are_reported_not_evaluable_and_the_others_are_still_checked(campaign, now):
    record(campaign, "units_sold", {1: 100})
    zero = TargetFactory(campaign=campaign, target_value=Decimal(0))
    no_values = TargetFactory(campaign=campaign, metric=metric("new_members"))
    # Written around the service, as an import or an old row might be.
    malformed = [
        Threshold.objects.create(kind=ThresholdKind.ATTAINMENT_BELOW, campaign=campaign, percent=80),
        Threshold.objects.create(kind=ThresholdKind.ATTAINMENT_BELOW, target=zero, campaign=campaign, percent=80),
        Threshold.objects.create(kind=ThresholdKind.ATTAINMENT_BELOW, target=no_values, campaign=campaign, percent=80),
        Threshold.objects.create(
            kind=ThresholdKind.VALUE_BELOW, campaign=campaign, metric=metric("ctr"), bound=1, window_days=7
        ),
        Threshold.objects.create(kind=ThresholdKind.BENCHMARK_BELOW, campaign=campaign, metric=metric("ctr")),
        Threshold.objects.create(kind=ThresholdKind.TASKS_OVERDUE, plan=campaign.plan),
        Threshold.objects.create(kind="retired_kind", campaign=campaign),
    ]
    good = threshold_create(
        kind=ThresholdKind.VALUE_BELOW, campaign=campaign, metric=metric("units_sold"), bound=1000, window_days=30
    )

    report = evaluate_all(now=now)

    reasons = {outcome.threshold_id: outcome.message for outcome in report.not_evaluable}
    assert set(reasons) == {threshold.pk for threshold in malformed}
    assert reasons[malformed[0].pk] == "Choose the target whose attainment is watched."
    assert reasons[malformed[1].pk] == "The target is zero: there is no attainment to compare."
    assert reasons[malformed[2].pk] == "No values of New members recorded for this target yet."
    assert reasons[malformed[3].pk] == "No values of Click-through rate in the window (last 7 days)."
    assert "Give the percentage." in reasons[malformed[4].pk]
    assert "Give the benchmark value" in reasons[malformed[4].pk]
    assert reasons[malformed[5].pk] == "Choose the campaign."
    assert "Unknown kind" in reasons[malformed[6].pk]
    assert [o.threshold_id for o in report.opened] == [good.pk]
    assert not report.errors


def test_an_unexpected_error_on_one_threshold_is_reported_and_the_batch_goes_on(campaign, now, monkeypatch, caplog):
    stage = StageFactory(campaign=campaign)
    TaskFactory(stage=stage, due_date=date(2026, 6, 1))
    MilestoneFactory(stage=stage, due_date=date(2026, 6, 1))
    broken = threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)
    fine = threshold_create(kind=ThresholdKind.MILESTONE_MISSED, campaign=campaign)

    def explode(threshold, **kwargs):
        raise ZeroDivisionError("somebody divided by zero")

    monkeypatch.setitem(evaluation.JUDGES, ThresholdKind.TASKS_OVERDUE, explode)

    report = evaluate_all(now=now)

    assert [(o.threshold_id, o.message) for o in report.errors] == [
        (broken.pk, "ZeroDivisionError: somebody divided by zero")
    ]
    assert [o.threshold_id for o in report.opened] == [fine.pk]
    assert f"Threshold {broken.pk} could not be checked" in caplog.text


# Query counts ---------------------------------------------------------------------------------


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
    codes = [metric(code) for code in ("units_sold", "ctr", "conversion_rate", "marketing_cost")]
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
                natural_key=metric_value_key(
                    metric_id=metric_.pk,
                    plan_id=campaign.plan_id,
                    campaign_id=campaign.pk,
                    channel_id=channel_.pk if channel_ else None,
                    date=day,
                ),
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
    # Thresholds, target actuals, window aggregates, costs, overdue tasks, missed milestones, open
    # alerts; on PostgreSQL the reads also turn JIT off in a savepoint (SAVEPOINT, SET, RELEASE).
    assert small == large == 7


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


# The job and the command ----------------------------------------------------------------------


def test_the_command_prints_each_alert_it_opened_kept_or_resolved_and_a_summary(breaching, campaign, now, frozen):
    stale = threshold_create(kind=ThresholdKind.COST_ABOVE_BUDGET, campaign=campaign, percent=Decimal(10))
    record(campaign, "marketing_cost", {2: 400000})
    evaluate_all(now=now)
    set_value(campaign, "marketing_cost", 2, 1000)
    idle = threshold_create(
        kind=ThresholdKind.VALUE_BELOW, campaign=campaign, metric=metric("ctr"), bound=1, window_days=7
    )
    stage = StageFactory(campaign=campaign)
    TaskFactory(stage=stage, due_date=date(2026, 6, 1))
    fresh = threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)
    out, err = StringIO(), StringIO()

    call_command("check_thresholds", stdout=out, stderr=err)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"opened        #{fresh.pk} [{campaign.name}] Alert when any task is overdue")
    assert lines[0].endswith("observed 1, expected 0")
    assert lines[1].startswith(f"kept          #{breaching.pk} ")
    assert "Alert when Units sold is below 80% of the target" in lines[1]
    assert lines[2].startswith(f"resolved      #{stale.pk} ")
    assert lines[2].endswith("observed 1,000, expected 300,000")
    assert lines[3].startswith(f"not evaluable #{idle.pk} ")
    assert lines[3].endswith("No values of Click-through rate in the window (last 7 days).")
    assert lines[4] == (
        "Checked 4 thresholds: 1 opened, 1 kept, 1 resolved, 0 within bounds, 1 not evaluable, 0 errors."
    )
    assert err.getvalue() == ""


# The demo -----------------------------------------------------------------------------------


def test_the_demo_opens_the_templates_alerts_on_the_managers_dashboard_and_a_second_seed_changes_nothing(client):
    call_command("seed_demo", stdout=StringIO())

    alerts = {alert.threshold.kind: alert for alert in Alert.objects.unresolved().select_related("threshold")}
    online = Alert.objects.get(threshold__target__channel__code="online")
    assert online.severity == Severity.CRITICAL
    assert "Units sold · Online" in online.summary
    # The online sub-goal runs at 60% of its daily pace (the template's week-one example).
    assert online.observed / online.expected < Decimal("0.8")
    assert {ThresholdKind.ATTAINMENT_BELOW, ThresholdKind.BENCHMARK_BELOW, ThresholdKind.TASKS_OVERDUE} <= set(alerts)
    benchmark = alerts[ThresholdKind.BENCHMARK_BELOW]
    assert benchmark.expected == Decimal("3")
    assert benchmark.observed < Decimal("2.4")
    client.force_login(online.campaign.owner)
    assert online.summary in client.get("/").content.decode()

    state = (Threshold.objects.count(), list(Alert.objects.values()), Notification.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Threshold.objects.count(), list(Alert.objects.values()), Notification.objects.count()) == state

    out = StringIO()
    call_command("check_thresholds", stdout=out)
    assert f"0 opened, {Alert.objects.unresolved().count()} kept, 0 resolved" in out.getvalue()


@pytest.mark.django_db
def test_an_alert_is_worded_in_english_and_chinese_and_shown_in_the_readers_language(client, manager):
    from datetime import date
    from decimal import Decimal

    from django.utils import translation

    from tests.factories import CampaignFactory, TargetFactory, metric
    from tracking import evaluation
    from tracking.models import Alert, Threshold

    campaign = CampaignFactory(owner=manager, start_date=date(2026, 6, 1), end_date=date(2026, 6, 30))
    target = TargetFactory(campaign=campaign, metric=metric("units_sold"), target_value=Decimal(3000))
    MetricValueFactory(campaign=campaign, metric=target.metric, date=date(2026, 6, 1), value=Decimal(10))
    Threshold.objects.create(
        kind="attainment_below", target=target, campaign=campaign, percent=Decimal(80), paced=False
    )

    evaluation.evaluate_all()

    alert = Alert.objects.get()
    assert "Units sold" in alert.summary
    assert "销量" in alert.summary_zh
    with translation.override("zh-hans"):
        assert alert.headline == alert.summary_zh
    client.force_login(manager)
    page = client.get(alert.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert alert.summary_zh.split(":")[0][:6] in page
