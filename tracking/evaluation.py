"""The threshold check: every active threshold evaluated against the data, alerts opened,
kept or auto-resolved.

Thresholds are read in batches of THRESHOLD_BATCH_SIZE, by primary key: `evaluate_all` runs
them one after the other (`manage.py check_thresholds`), the beat job queues one job per
batch (`threshold_ranges`, `evaluate_range`) so that the workers share them. For each batch
the figures come from a fixed number of queries, whatever the number of thresholds or metric
values: the thresholds themselves, one annotated query for the attainment of their targets
(plans' own `annotate_actuals`, judged by plans' `evaluate`), one for the windowed aggregates
of the value and benchmark thresholds, two for costs (the cost metrics, then the sums), one
each for overdue tasks and missed milestones, and one for the batch's open alerts. The
batch's new breaches open their alerts together (`alerts_open`: a fixed number of queries
for all of them, with their notifications and deliveries); continuing breaches are written
back in one update per batch; only resolving costs queries per alert, through the service.

Judging, per kind (`expected` is always the reference the rule compares with):

- attainment past X%: plans' attainment of the target, paced when the threshold says so
  (sum metrics are then compared with the share of the target expected by today).
  Attainment reads as everywhere else: actual ÷ expected × 100%, for every metric. The
  metric's direction says which side is the miss: a higher-is-better metric breaches when
  its attainment falls below X% (“sales attainment below 80%”), a lower-is-better one (a cost
  cap, a CAC, a response time) when it rises above X% (“cost above 100% of the budget to
  date”; 80% warns before the cap is reached, 110% tolerates a tenth over it). Observed is
  the actual, expected what should have been reached (or at most spent) by today.
- value below / above a bound: the metric aggregated per its aggregation (sum, average,
  last; a derived metric, a ratio of two, is its components' totals over the window divided,
  as plans divides them for targets) over the last N days up to today, compared with the bound.
- benchmark: the same aggregate (over the window, or the target's or campaign's period when
  the threshold has none) more than X% worse than the benchmark: below it for
  higher-is-better metrics, above it for lower-is-better ones.
- cost above budget by X%: the campaign's recorded cost (metrics marked as cost), or the
  plan's cost on a budget line's channel and its sub-channels, above the budget × (1 + X%).
- tasks overdue: more than N (0 when empty) of the campaign's tasks are overdue.
- milestone missed: any milestone of the campaign is past due and not reached.

A threshold that cannot be judged (incomplete, target zero, no values yet) is reported as
not evaluable with the reason and its alert, if any, is left as it is; an unexpected error
on one threshold is logged and reported, and the batch goes on.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import (
    Avg,
    BigIntegerField,
    Case,
    Count,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Least, Mod, RowNumber
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.database_faults import database_fault
from core.formatting import format_money, format_number
from plans.attainment import Status, evaluate
from plans.formatting import format_in_unit
from plans.models import Aggregation, Direction, Metric, MetricValue, Target
from plans.selectors import VALUE_FIELD, annotate_actuals, ratio_of, recorded_cost
from tasks.models import Milestone, Task

from .formatting import format_figure
from .models import OPEN_STATES, Alert, Threshold, ThresholdKind
from .rules import describe, measured_metric, problems, scope_name
from .services.alerts import Breach, alert_open_or_keep, alert_recover, alerts_open

logger = logging.getLogger(__name__)

# Everything the judging and rules.describe read from a threshold (opening an alert reads the
# owners besides: a query per alert opened, not per threshold checked).
THRESHOLD_RELATED = [
    "metric",
    "channel",
    "budget_line",
    "target__metric",
    "target__channel",
    "target__campaign",
    "target__plan",
    "campaign",
    "plan",
]
WINDOW_KINDS = {ThresholdKind.VALUE_BELOW, ThresholdKind.VALUE_ABOVE, ThresholdKind.BENCHMARK_BELOW}
HUNDRED = Decimal(100)
FOUR_PLACES = Decimal("0.0001")


# The report ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What the check did with one threshold, for the report and the command's output."""

    threshold_id: int
    rule: str
    scope: str
    observed: Decimal | None = None
    expected: Decimal | None = None
    # The alert's summary, or why the threshold could not be judged, or the error.
    message: str = ""
    alert_id: int | None = None


@dataclass
class CheckReport:
    opened: list[Outcome] = field(default_factory=list)
    kept: list[Outcome] = field(default_factory=list)
    resolved: list[Outcome] = field(default_factory=list)
    not_evaluable: list[Outcome] = field(default_factory=list)
    errors: list[Outcome] = field(default_factory=list)
    # Judged, no breach, no alert to resolve.
    within: int = 0
    checked: int = 0
    batches: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "checked": self.checked,
            "opened": len(self.opened),
            "kept": len(self.kept),
            "resolved": len(self.resolved),
            "within": self.within,
            "not_evaluable": len(self.not_evaluable),
            "errors": len(self.errors),
        }


# Verdicts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """A judged threshold: breached or not, with its figures; or why it cannot be judged."""

    breached: bool = False
    observed: Decimal | None = None
    expected: Decimal | None = None
    summary: str = ""
    not_evaluable: str = ""


def _not_evaluable(reason: str) -> Verdict:
    return Verdict(not_evaluable=reason)


def _quantized(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(FOUR_PLACES)


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


# Entry point --------------------------------------------------------------------------------


def evaluate_all(
    *, now=None, batch_size: int | None = None, thresholds: QuerySet[Threshold] | None = None
) -> CheckReport:
    """Check every active threshold (or those of `thresholds`) once, in batches; open, keep
    or resolve their alerts. Safe to run twice at once: the alert constraint decides."""
    now = now or timezone.now()
    batch_size = batch_size or settings.THRESHOLD_BATCH_SIZE
    today = timezone.localdate(now)
    source = (thresholds if thresholds is not None else Threshold.objects.all()).filter(is_active=True)
    report = CheckReport()
    last_pk = 0
    # Summaries are stored on the alert; write them in the site's language, whoever runs the check.
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            batch = list(source.filter(pk__gt=last_pk).select_related(*THRESHOLD_RELATED).order_by("pk")[:batch_size])
            if not batch:
                break
            _check_batch(batch, now=now, today=today, report=report)
            report.batches += 1
            report.checked += len(batch)
            last_pk = batch[-1].pk
            if len(batch) < batch_size:
                break
    return report


def threshold_ranges(*, batch_size: int | None = None) -> list[tuple[int, int | None]]:
    """The active thresholds cut into batches of `batch_size` by id, as (first id, last id)
    ranges, in one query that returns only each batch's first id; the last range is open
    (None), so that a threshold added since is checked too."""
    batch_size = batch_size or settings.THRESHOLD_BATCH_SIZE
    starts = list(
        Threshold.objects.filter(is_active=True)
        .annotate(position=Window(RowNumber(), order_by=F("pk").asc()))
        .annotate(place=Mod(F("position") - 1, Value(batch_size)))
        .filter(place=0)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ends = [start - 1 for start in starts[1:]] + [None]
    return list(zip(starts, ends, strict=True))


def evaluate_range(*, first_id: int, last_id: int | None, now=None) -> CheckReport:
    """Check the active thresholds whose ids are in [first_id, last_id] (to the end when
    last_id is None): one batch of the fanned-out check."""
    thresholds = Threshold.objects.filter(pk__gte=first_id)
    if last_id is not None:
        thresholds = thresholds.filter(pk__lte=last_id)
    return evaluate_all(now=now, thresholds=thresholds)


def _worded(threshold: Threshold, facts, today: date, language: str) -> str:
    """The breach's summary in a language (the verdict is the same; only its words differ)."""
    with translation.override(language):
        return _judge(threshold, facts=facts, today=today).summary


def _check_batch(batch: list[Threshold], *, now, today: date, report: CheckReport) -> None:
    facts = _Facts.load(batch, today=today)
    open_alerts = {
        (alert.threshold_id, alert.scope_key): alert
        for alert in Alert.objects.filter(threshold_id__in=[t.pk for t in batch], state__in=OPEN_STATES)
    }
    continuing: list[tuple[Alert, Verdict]] = []
    breaking: list[tuple[Threshold, Verdict, Breach]] = []
    for threshold in batch:
        try:
            verdict = _judge(threshold, facts=facts, today=today)
            if verdict.not_evaluable:
                report.not_evaluable.append(_outcome(threshold, verdict, message=verdict.not_evaluable))
                continue
            alert = open_alerts.get((threshold.pk, threshold.scope_key))
            if verdict.breached and alert is not None:
                continuing.append((alert, verdict))
                report.kept.append(_outcome(threshold, verdict, message=alert.summary, alert=alert))
            elif verdict.breached:
                breach = Breach(
                    observed=verdict.observed,
                    expected=verdict.expected,
                    summary=_worded(threshold, facts, today, "en"),
                    summary_zh=_worded(threshold, facts, today, "zh-hans"),
                )
                breaking.append((threshold, verdict, breach))
            elif alert is not None:
                with transaction.atomic():
                    resolved = alert_recover(alert=alert, observed=verdict.observed, now=now)
                if resolved:
                    report.resolved.append(_outcome(threshold, verdict, message=alert.summary, alert=alert))
                else:
                    report.within += 1
            else:
                report.within += 1
        except SoftTimeLimitExceeded:
            # The job's time is up: stop, rather than log it against one threshold and go on.
            raise
        except Exception as exc:
            if isinstance(exc, (OperationalError, InterfaceError)) or database_fault(exc) is not None:
                # The database is gone or read-only: nothing else in the batch can succeed;
                # let the job retry.
                raise
            logger.exception("Threshold %s could not be checked", threshold.pk)
            report.errors.append(_outcome(threshold, Verdict(), message=f"{type(exc).__name__}: {exc}"))
    _keep(continuing, now=now)
    _open(breaking, now=now, report=report)


def _open(breaking: list[tuple[Threshold, Verdict, Breach]], *, now, report: CheckReport) -> None:
    """New breaches: open their alerts, notifications and deliveries in bulk, in one
    transaction and a fixed number of queries. If another check opened some of them meanwhile
    (the constraint refused the insert) or the bulk path fails, open them one by one: the
    constraint decides each, and an error is reported against its threshold alone."""
    if not breaking:
        return
    try:
        with transaction.atomic():
            opened = alerts_open(breaches=[(threshold, breach) for threshold, _verdict, breach in breaking], now=now)
    except Exception as exc:
        if isinstance(exc, (OperationalError, InterfaceError, SoftTimeLimitExceeded)) or database_fault(exc):
            raise
        logger.exception("Opening %s alerts at once failed; opening them one by one", len(breaking))
        opened = None
    if opened is not None:
        alerts = {alert.threshold_id: alert for alert, _opened in opened}
        for threshold, verdict, _breach in breaking:
            alert = alerts[threshold.pk]
            report.opened.append(_outcome(threshold, verdict, message=alert.summary, alert=alert))
        return
    for threshold, verdict, breach in breaking:
        try:
            with transaction.atomic():
                alert, was_opened = alert_open_or_keep(threshold=threshold, breach=breach, now=now)
        except SoftTimeLimitExceeded:
            raise
        except Exception as exc:
            if isinstance(exc, (OperationalError, InterfaceError)) or database_fault(exc) is not None:
                raise
            logger.exception("Threshold %s could not be checked", threshold.pk)
            report.errors.append(_outcome(threshold, Verdict(), message=f"{type(exc).__name__}: {exc}"))
            continue
        bucket = report.opened if was_opened else report.kept
        bucket.append(_outcome(threshold, verdict, message=alert.summary, alert=alert))


def _keep(continuing: list[tuple[Alert, Verdict]], *, now) -> None:
    """A continuing breach: notify nobody again; mark the open alerts checked in one statement
    and write the figures of those whose figures moved in one more."""
    if not continuing:
        return
    Alert.objects.filter(pk__in=[alert.pk for alert, _verdict in continuing]).update(
        last_checked_at=now, updated_at=timezone.now()
    )
    moved = []
    for alert, verdict in continuing:
        alert.last_checked_at, alert.updated_at = now, timezone.now()
        if (alert.observed, alert.expected) != (verdict.observed, verdict.expected):
            alert.observed, alert.expected = verdict.observed, verdict.expected
            moved.append(alert)
    if moved:
        Alert.objects.bulk_update(moved, ["observed", "expected", "updated_at"])


def _outcome(threshold: Threshold, verdict: Verdict, *, message: str = "", alert: Alert | None = None) -> Outcome:
    return Outcome(
        threshold_id=threshold.pk,
        rule=describe(threshold),
        scope=scope_name(threshold),
        observed=verdict.observed,
        expected=verdict.expected,
        message=message,
        alert_id=alert.pk if alert is not None else None,
    )


# The batch's figures, in a fixed number of queries ------------------------------------------


def _campaign_id(threshold: Threshold) -> int | None:
    if threshold.campaign_id:
        return threshold.campaign_id
    if threshold.target_id:
        return threshold.target.campaign_id
    return None


def window_of(threshold: Threshold, *, today: date) -> tuple[date, date]:
    """The days a value or benchmark threshold aggregates: the last `window_days` days up to
    today; without a window, its target's period, else its campaign's, else its plan's year
    (each up to today)."""
    if threshold.window_days:
        return today - timedelta(days=threshold.window_days - 1), today
    if threshold.target_id:
        return threshold.target.period_start, min(threshold.target.period_end, today)
    if _campaign_id(threshold):
        campaign = threshold.campaign if threshold.campaign_id else threshold.target.campaign
        return campaign.start_date, min(campaign.end_date, today)
    year = threshold.plan.year if threshold.plan_id else today.year
    return date(year, 1, 1), min(date(year, 12, 31), today)


@dataclass
class _Facts:
    # target id → actual (per the metric's aggregation over the target's period)
    actuals: dict[int, Decimal | None] = field(default_factory=dict)
    # threshold id → aggregate over its window
    windowed: dict[int, Decimal | None] = field(default_factory=dict)
    # threshold id → recorded cost
    costs: dict[int, Decimal | None] = field(default_factory=dict)
    # campaign id → overdue task count
    overdue: dict[int, int] = field(default_factory=dict)
    # campaign id → missed milestones (name, due date), earliest first
    missed: dict[int, list[tuple[str, date]]] = field(default_factory=dict)

    @classmethod
    def load(cls, batch: list[Threshold], *, today: date) -> "_Facts":
        facts = cls()
        by_kind = defaultdict(list)
        for threshold in batch:
            by_kind[threshold.kind].append(threshold)
        target_ids = {t.target_id for t in by_kind[ThresholdKind.ATTAINMENT_BELOW] if t.target_id}
        if target_ids:
            facts.actuals = {
                pk: _decimal(actual)
                for pk, actual in annotate_actuals(Target.objects.filter(pk__in=target_ids)).values_list("pk", "actual")
            }
        windowed = [t for kind in WINDOW_KINDS for t in by_kind[kind] if measured_metric(t) is not None]
        if windowed:
            facts.windowed = _windowed_aggregates(windowed, today=today)
        if by_kind[ThresholdKind.COST_ABOVE_BUDGET]:
            facts.costs = _costs(by_kind[ThresholdKind.COST_ABOVE_BUDGET])
        task_campaigns = {_campaign_id(t) for t in by_kind[ThresholdKind.TASKS_OVERDUE]} - {None}
        if task_campaigns:
            facts.overdue = dict(
                Task.objects.overdue(today=today)
                .filter(campaign_id__in=task_campaigns)
                .order_by()
                .values("campaign_id")
                .annotate(count=Count("pk"))
                .values_list("campaign_id", "count")
            )
        milestone_campaigns = {_campaign_id(t) for t in by_kind[ThresholdKind.MILESTONE_MISSED]} - {None}
        if milestone_campaigns:
            missed = defaultdict(list)
            for campaign_id, name, due in (
                Milestone.objects.missed(today=today)
                .filter(campaign_id__in=milestone_campaigns)
                .order_by("due_date", "pk")
                .values_list("campaign_id", "name", "due_date")
            ):
                missed[campaign_id].append((name, due))
            facts.missed = dict(missed)
        return facts


def _scope_annotations() -> dict:
    """The metric, channel, campaign or plan a threshold watches: its own, else its target's.
    A campaign scope excludes the plan, so a campaign never counts its plan's other values."""
    return {
        "watched_metric": Coalesce("metric_id", "target__metric_id"),
        "watched_channel": Coalesce("channel_id", "target__channel_id"),
        "watched_aggregation": Coalesce("metric__aggregation", "target__metric__aggregation"),
        "watched_unit": Coalesce("metric__unit", "target__metric__unit"),
        "watched_numerator": Coalesce("metric__numerator_id", "target__metric__numerator_id"),
        "watched_denominator": Coalesce("metric__denominator_id", "target__metric__denominator_id"),
        "scope_campaign": Coalesce("campaign_id", "target__campaign_id"),
        "scope_plan": Case(
            When(Q(campaign_id__isnull=False) | Q(target__campaign_id__isnull=False), then=Value(None)),
            default=Coalesce("target__plan_id", "plan_id"),
            output_field=BigIntegerField(),
        ),
    }


def _window_bounds(thresholds: list[Threshold], *, today: date) -> tuple[Case, Case]:
    """window_of() as SQL on the threshold rows: a branch per distinct window length and plan
    year of the batch (a few), never one per threshold."""
    lengths = sorted({t.window_days for t in thresholds if t.window_days})
    years = sorted({t.plan.year for t in thresholds if t.plan_id})
    start = Case(
        *[When(window_days=days, then=Value(today - timedelta(days=days - 1))) for days in lengths],
        When(target__isnull=False, then=F("target__period_start")),
        When(campaign__isnull=False, then=F("campaign__start_date")),
        *[When(plan__year=year, then=Value(date(year, 1, 1))) for year in years],
        default=Value(date(today.year, 1, 1)),
        output_field=DateField(),
    )
    end = Case(
        When(window_days__gt=0, then=Value(today)),
        When(target__isnull=False, then=Least("target__period_end", Value(today))),
        When(campaign__isnull=False, then=Least("campaign__end_date", Value(today))),
        *[When(plan__year=year, then=Value(min(date(year, 12, 31), today))) for year in years],
        default=Value(today),
        output_field=DateField(),
    )
    return start, end


def _windowed_aggregates(thresholds: list[Threshold], *, today: date) -> dict[int, Decimal | None]:
    """Each value or benchmark threshold's metric aggregated over its window, in one query of
    correlated subqueries on the threshold rows."""
    start, end = _window_bounds(thresholds, today=today)

    def in_window(metric: str):
        return (
            MetricValue.objects.annotate(channel_or_zero=Coalesce("channel_id", Value(0)))
            .filter(
                Q(campaign_id=OuterRef("scope_campaign")) | Q(plan_id=OuterRef("scope_plan")),
                metric_id=OuterRef(metric),
                date__gte=OuterRef("window_start"),
                date__lte=OuterRef("window_end"),
                # NULL-safe "same channel, or any channel when the threshold has none" (as plans does).
                channel_or_zero=Coalesce(OuterRef("watched_channel"), F("channel_or_zero")),
            )
            .order_by()
        )

    def total_of(metric: str) -> Subquery:
        total = in_window(metric).values("metric_id").annotate(result=Sum("value")).values("result")
        return Subquery(total, output_field=VALUE_FIELD)

    values = in_window("watched_metric")
    mean = values.values("metric_id").annotate(result=Avg("value")).values("result")
    last = values.order_by("-date", F("channel_id").asc(nulls_first=True), "-recorded_at").values("value")[:1]
    # A derived metric (ROI, CAC, conversion rate…) is never typed: its components' totals over
    # the window, divided (plans.selectors.ratio_of, as for its targets).
    derived = ratio_of(total_of("watched_numerator"), total_of("watched_denominator"), unit="watched_unit")
    rows = (
        Threshold.objects.filter(pk__in=[t.pk for t in thresholds])
        .annotate(**_scope_annotations(), window_start=start, window_end=end)
        .annotate(
            observed=Case(
                When(watched_aggregation=Aggregation.SUM, then=total_of("watched_metric")),
                When(watched_aggregation=Aggregation.AVERAGE, then=Subquery(mean, output_field=VALUE_FIELD)),
                When(watched_aggregation=Aggregation.RATIO, then=derived),
                default=Subquery(last, output_field=VALUE_FIELD),
                output_field=VALUE_FIELD,
            )
        )
        .order_by()
        .values_list("pk", "observed")
    )
    return {pk: _decimal(observed) for pk, observed in rows}


def _costs(thresholds: list[Threshold]) -> dict[int, Decimal | None]:
    """Recorded cost per cost threshold in one query: the campaign's, or the budget line's
    plan on the line's channel and its sub-channels."""
    # By the cost metrics' ids (a few, read first), so that each campaign's sum reads its cost
    # rows from the (metric, campaign, date) index, not all its values to drop the others.
    cost_metrics = list(Metric.objects.filter(is_cost=True).values_list("pk", flat=True))
    if not cost_metrics:
        return {threshold.pk: None for threshold in thresholds}
    costs = MetricValue.objects.filter(metric_id__in=cost_metrics).order_by()
    campaign_cost = (
        costs.filter(campaign_id=OuterRef("scope_campaign")).values("campaign_id").annotate(result=Sum("value"))
    )
    rows = (
        Threshold.objects.filter(pk__in=[t.pk for t in thresholds])
        .annotate(scope_campaign=Coalesce("campaign_id", "target__campaign_id"))
        .annotate(
            observed=Case(
                When(
                    budget_line_id__isnull=True,
                    then=Subquery(campaign_cost.values("result"), output_field=VALUE_FIELD),
                ),
                # The line's spend as the plan page and the API show it.
                default=recorded_cost(
                    plan=OuterRef("budget_line__plan_id"), channel=OuterRef("budget_line__channel_id")
                ),
                output_field=VALUE_FIELD,
            )
        )
        .order_by()
        .values_list("pk", "observed")
    )
    return {pk: _decimal(observed) for pk, observed in rows}


# Judging one threshold ---------------------------------------------------------------------


def _judge(threshold: Threshold, *, facts: _Facts, today: date) -> Verdict:
    found = problems(threshold)
    if found:
        return _not_evaluable(" ".join(str(message) for message in found.values()))
    judge = JUDGES.get(threshold.kind)
    if judge is None:
        return _not_evaluable(_("Unknown kind of threshold: %(kind)s.") % {"kind": threshold.kind})
    return judge(threshold, facts=facts, today=today)


def _judge_attainment(threshold: Threshold, *, facts: _Facts, today: date) -> Verdict:
    target = threshold.target
    metric = target.metric
    if target.target_value is None or target.target_value == 0:
        return _not_evaluable(_("The target is zero: there is no attainment to compare."))
    if target.target_value < 0:
        return _not_evaluable(_("The target is below zero: watch it with a value threshold instead."))
    attainment = evaluate(
        actual=facts.actuals.get(target.pk),
        target=target.target_value,
        aggregation=metric.aggregation,
        direction=metric.direction,
        start=target.period_start,
        end=target.period_end,
        today=today,
        paced=threshold.paced,
        # A paced threshold expects what the target's quarterly split has made due by today.
        quarters=target.quarters,
    )
    if attainment.status == Status.NOT_STARTED:
        # Nothing is expected before the period starts.
        return Verdict(breached=False)
    if attainment.status == Status.NO_DATA:
        return _not_evaluable(_("No values of %(metric)s recorded for this target yet.") % {"metric": metric.name})
    actual, expected = attainment.actual, attainment.expected
    # Attainment is actual ÷ expected whatever the direction; only the side that breaches differs.
    rate = actual / expected if expected > 0 else None
    if metric.direction == Direction.LOWER:
        breached = actual * HUNDRED > expected * threshold.percent
    else:
        breached = actual * HUNDRED < expected * threshold.percent
    if not breached:
        return Verdict(breached=False, observed=_quantized(actual), expected=_quantized(expected))
    values = {
        "scope": scope_name(threshold),
        "actual": format_in_unit(actual, metric.unit),
        "expected": format_in_unit(expected, metric.unit),
        "rate": format_number(rate * HUNDRED if rate is not None else None, places=1),
        "percent": format_number(threshold.percent),
    }
    accumulates = metric.aggregation == Aggregation.SUM and threshold.paced and attainment.elapsed < 1
    if metric.direction == Direction.LOWER and rate is None:
        # Nothing may be spent yet (the split gives this quarter nothing), and something was.
        template = _("%(scope)s: %(actual)s where nothing is allowed by today (lower is better)")
    elif metric.direction == Direction.LOWER:
        template = (
            _(
                "%(scope)s: %(actual)s is %(rate)s%% of the %(expected)s allowed by today "
                "(lower is better; alert above %(percent)s%%)"
            )
            if accumulates
            else _(
                "%(scope)s: %(actual)s is %(rate)s%% of the target of %(expected)s "
                "(lower is better; alert above %(percent)s%%)"
            )
        )
    else:
        template = (
            _("%(scope)s: %(actual)s is %(rate)s%% of the %(expected)s expected by today (alert below %(percent)s%%)")
            if accumulates
            else _("%(scope)s: %(actual)s is %(rate)s%% of the target of %(expected)s (alert below %(percent)s%%)")
        )
    return Verdict(breached=True, observed=_quantized(actual), expected=_quantized(expected), summary=template % values)


def _window_label(threshold: Threshold, today: date) -> str:
    if threshold.window_days:
        return ngettext("last day", "last %(days)s days", threshold.window_days) % {"days": threshold.window_days}
    first, last = window_of(threshold, today=today)
    return f"{first.isoformat()} – {last.isoformat()}"


def _watched_name(threshold: Threshold) -> str:
    metric = measured_metric(threshold)
    channel = threshold.channel or (threshold.target.channel if threshold.target_id else None)
    name = metric.name
    return f"{name} · {channel.name}" if channel is not None else name


def _no_values(threshold: Threshold, today: date) -> Verdict:
    return _not_evaluable(
        _("No values of %(metric)s in the window (%(window)s).")
        % {"metric": _watched_name(threshold), "window": _window_label(threshold, today)}
    )


def _judge_value(threshold: Threshold, *, facts: _Facts, today: date) -> Verdict:
    observed = facts.windowed.get(threshold.pk)
    if observed is None:
        return _no_values(threshold, today)
    bound = threshold.bound
    below = threshold.kind == ThresholdKind.VALUE_BELOW
    breached = observed < bound if below else observed > bound
    verdict = Verdict(breached=breached, observed=_quantized(observed), expected=_quantized(bound))
    if not breached:
        return verdict
    values = {
        "scope": scope_name(threshold),
        "metric": _watched_name(threshold),
        "window": _window_label(threshold, today),
        "observed": format_figure(observed, threshold),
        "bound": format_figure(bound, threshold),
    }
    template = (
        _("%(scope)s: %(metric)s over the %(window)s is %(observed)s, below %(bound)s")
        if below
        else _("%(scope)s: %(metric)s over the %(window)s is %(observed)s, above %(bound)s")
    )
    return Verdict(breached=True, observed=verdict.observed, expected=verdict.expected, summary=template % values)


def _judge_benchmark(threshold: Threshold, *, facts: _Facts, today: date) -> Verdict:
    observed = facts.windowed.get(threshold.pk)
    if observed is None:
        return _no_values(threshold, today)
    benchmark, share = threshold.benchmark_value, threshold.percent / HUNDRED
    lower_is_better = measured_metric(threshold).direction == Direction.LOWER
    # How far the value is on the wrong side of the benchmark, as a share of it.
    gap = (observed - benchmark) / benchmark if lower_is_better else (benchmark - observed) / benchmark
    breached = gap > share
    verdict = Verdict(breached=breached, observed=_quantized(observed), expected=_quantized(benchmark))
    if not breached:
        return verdict
    values = {
        "scope": scope_name(threshold),
        "metric": _watched_name(threshold),
        "observed": format_figure(observed, threshold),
        "gap": format_number(gap * HUNDRED, places=1),
        "benchmark": format_figure(benchmark, threshold),
        "source": threshold.benchmark_source or _("no source given"),
        "percent": format_number(threshold.percent),
    }
    template = (
        _(
            "%(scope)s: %(metric)s is %(observed)s, %(gap)s%% above the benchmark %(benchmark)s "
            "(%(source)s; alert above %(percent)s%%)"
        )
        if lower_is_better
        else _(
            "%(scope)s: %(metric)s is %(observed)s, %(gap)s%% below the benchmark %(benchmark)s "
            "(%(source)s; alert above %(percent)s%%)"
        )
    )
    return Verdict(breached=True, observed=verdict.observed, expected=verdict.expected, summary=template % values)


def _judge_cost(threshold: Threshold, *, facts: _Facts, today: date) -> Verdict:
    line = threshold.budget_line
    if line is not None:
        if line.channel_id is None:
            return _not_evaluable(
                _("The budget line has no channel, so no recorded cost can be matched to it: choose a line with one.")
            )
        budget, budget_name = line.planned_amount, line.description or line.get_category_display()
    else:
        campaign = threshold.campaign if threshold.campaign_id else threshold.target.campaign
        budget, budget_name = campaign.budget, _("the campaign's budget")
    if not budget:
        return _not_evaluable(_("The budget is zero: there is nothing to compare the cost with."))
    cost = facts.costs.get(threshold.pk) or Decimal(0)
    share = (threshold.percent or Decimal(0)) / HUNDRED
    breached = cost > budget * (1 + share)
    verdict = Verdict(breached=breached, observed=_quantized(cost), expected=_quantized(budget))
    if not breached:
        return verdict
    summary = _(
        "%(scope)s: marketing cost %(cost)s is %(over)s%% over %(budget_name)s of %(budget)s "
        "(alert above %(percent)s%%)"
    ) % {
        "scope": scope_name(threshold),
        "cost": format_money(cost),
        "over": format_number((cost - budget) / budget * HUNDRED, places=1),
        "budget_name": budget_name,
        "budget": format_money(budget),
        "percent": format_number(threshold.percent or Decimal(0)),
    }
    return Verdict(breached=True, observed=verdict.observed, expected=verdict.expected, summary=summary)


def _judge_tasks_overdue(threshold: Threshold, *, facts: _Facts, today: date) -> Verdict:
    count = facts.overdue.get(_campaign_id(threshold), 0)
    allowed = threshold.min_count or 0
    breached = count > allowed
    verdict = Verdict(breached=breached, observed=Decimal(count), expected=Decimal(allowed))
    if not breached:
        return verdict
    summary = ngettext(
        "%(scope)s: %(count)s task overdue (alert above %(allowed)s)",
        "%(scope)s: %(count)s tasks overdue (alert above %(allowed)s)",
        count,
    ) % {"scope": scope_name(threshold), "count": count, "allowed": allowed}
    return Verdict(breached=True, observed=verdict.observed, expected=verdict.expected, summary=summary)


def _judge_milestones(threshold: Threshold, *, facts: _Facts, today: date) -> Verdict:
    missed = facts.missed.get(_campaign_id(threshold), [])
    verdict = Verdict(breached=bool(missed), observed=Decimal(len(missed)), expected=Decimal(0))
    if not missed:
        return verdict
    names = ", ".join(_("%(name)s (due %(due)s)") % {"name": name, "due": due.isoformat()} for name, due in missed[:3])
    if len(missed) > 3:
        names += _(" and %(count)s more") % {"count": len(missed) - 3}
    summary = _("%(scope)s: milestone missed: %(names)s") % {"scope": scope_name(threshold), "names": names}
    return Verdict(breached=True, observed=verdict.observed, expected=verdict.expected, summary=summary)


JUDGES = {
    ThresholdKind.ATTAINMENT_BELOW: _judge_attainment,
    ThresholdKind.VALUE_BELOW: _judge_value,
    ThresholdKind.VALUE_ABOVE: _judge_value,
    ThresholdKind.BENCHMARK_BELOW: _judge_benchmark,
    ThresholdKind.COST_ABOVE_BUDGET: _judge_cost,
    ThresholdKind.TASKS_OVERDUE: _judge_tasks_overdue,
    ThresholdKind.MILESTONE_MISSED: _judge_milestones,
}
