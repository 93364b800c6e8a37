"""Reads for tracking: querysets and plain data for the alert and threshold pages, the API,
the bell and the dashboard, each in a fixed number of queries."""

import json
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from notifications.models import Notification
from plans.attainment import expected_share
from plans.models import Aggregation, AnnualPlan, Campaign, MetricValue

from ..models import Alert, Issue, IssueState, Severity, Threshold, ThresholdKind
from ..rules import describe, measured_metric

# Everything rules.describe and the pages read from a threshold, in the same query.
THRESHOLD_RELATED = [
    "metric",
    "channel",
    "budget_line",
    "target__metric",
    "target__channel",
    "target__campaign",
    "target__plan",
    "campaign__owner",
    "plan",
]
ALERT_RELATED = [
    "campaign__owner",
    "target__metric",
    "target__channel",
    "acknowledged_by",
    "resolved_by",
]
CHART_DAYS = 30


# Thresholds -------------------------------------------------------------------------------


def threshold_list() -> QuerySet[Threshold]:
    """Thresholds with what their rule in words needs and the people added to them."""
    return Threshold.objects.select_related(*THRESHOLD_RELATED, "created_by").prefetch_related("recipients")


def with_rules(thresholds) -> list[Threshold]:
    """Attach `.rule` (the rule in words) to each threshold."""
    thresholds = list(thresholds)
    for threshold in thresholds:
        threshold.rule = describe(threshold)
    return thresholds


def campaign_thresholds(*, campaign: Campaign) -> list[Threshold]:
    """A campaign's thresholds (on the campaign, its goals and sub-goals), active first."""
    return with_rules(threshold_list().filter(campaign=campaign).order_by("-is_active", "pk"))


def plan_thresholds(*, plan: AnnualPlan) -> list[Threshold]:
    """Thresholds on a plan's own targets (not its campaigns'), active first."""
    return with_rules(threshold_list().filter(plan=plan, campaign__isnull=True).order_by("-is_active", "pk"))


# Alerts -----------------------------------------------------------------------------------


def alert_queryset() -> QuerySet[Alert]:
    """Alerts with everything their pages show, the threshold and its rule's relations in a
    second query: joined in one, the twenty tables took PostgreSQL ~100 ms to plan for every
    list (bench/pages_bench.py: the alerts list and the weekly review), against ~12 ms for
    the two queries."""
    return Alert.objects.select_related(*ALERT_RELATED).prefetch_related(
        Prefetch("threshold", queryset=Threshold.objects.select_related(*THRESHOLD_RELATED))
    )


def alert_list(
    *,
    state: str | None = None,
    severity: str | None = None,
    campaign: Campaign | None = None,
    overdue: bool | None = None,
    now=None,
) -> QuerySet[Alert]:
    """Alerts newest first, filtered as the alert list offers; `unresolved` is open or
    acknowledged."""
    alerts = alert_queryset()
    if state == "unresolved":
        alerts = alerts.unresolved()
    elif state:
        alerts = alerts.filter(state=state)
    if severity:
        alerts = alerts.filter(severity=severity)
    if campaign is not None:
        alerts = alerts.filter(campaign=campaign)
    if overdue is True:
        alerts = alerts.overdue_for_acknowledgement(now=now)
    elif overdue is False:
        alerts = alerts.exclude(pk__in=Alert.objects.overdue_for_acknowledgement(now=now).values("pk"))
    return alerts


def flag_alerts(alerts, *, now=None, rules: bool = False) -> list[Alert]:
    """Attach `.overdue` (open beyond the response time) and, when asked, `.rule`."""
    now = now or timezone.now()
    alerts = list(alerts)
    for alert in alerts:
        alert.overdue = alert.is_overdue_for_acknowledgement(now)
        if rules:
            alert.rule = describe(alert.threshold)
    return alerts


def alert_detail(*, alert_id: int) -> Alert | None:
    alert = alert_queryset().filter(pk=alert_id).first()
    if alert is not None:
        flag_alerts([alert], rules=True)
    return alert


def campaign_open_alerts(*, campaign: Campaign) -> list[Alert]:
    """The campaign's unresolved alerts, flagged."""
    return flag_alerts(alert_queryset().unresolved().filter(campaign=campaign))


def plan_open_alerts(*, plan: AnnualPlan) -> list[Alert]:
    """Unresolved alerts of a plan's own targets, flagged."""
    # The plan's own targets' alerts and those of its campaigns: the plan page shows them all.
    return flag_alerts(
        alert_queryset().unresolved().filter(Q(threshold__plan=plan, campaign__isnull=True) | Q(campaign__plan=plan))
    )


def dashboard_alert_queryset() -> QuerySet[Alert]:
    """Alerts with only what the dashboard's lists show (badges, headline, campaign): the
    twenty joins of alert_queryset cost PostgreSQL ~30 ms of planning per query at 600 alerts
    (bench/pages_bench.py), for rows it never reads."""
    return Alert.objects.select_related("campaign")


def user_open_alerts(*, user: User, limit: int = 10) -> dict:
    """The unresolved alerts a person was told about or that are on their campaigns (for the
    dashboard), most urgent first, with how many there are in all."""
    # Which alerts, by an EXISTS on the narrow table (no join of the notifications, no DISTINCT
    # over every column of the related rows: its plan alone took ~240 ms with 600 alerts);
    # then those rows with their relations.
    told = Notification.objects.filter(
        recipient=user, subject_type=ContentType.objects.get_for_model(Alert), subject_id=OuterRef("pk")
    )
    mine = Alert.objects.unresolved().filter(Q(Exists(told)) | Q(campaign__owner=user))
    order = ("-state", "severity", "opened_at", "pk")
    first = mine.order_by(*order).values("pk")[:limit]
    return {
        "alerts": flag_alerts(dashboard_alert_queryset().filter(pk__in=first).order_by(*order)),
        "count": mine.count(),
    }


def critical_open_alerts(*, limit: int = 20) -> dict:
    """Every unresolved critical alert (for the executives' dashboard), not yet acknowledged
    first, then the oldest, at most `limit` of them, with how many there are in all."""
    critical = (
        dashboard_alert_queryset().unresolved().filter(severity=Severity.CRITICAL).order_by("-state", "opened_at", "pk")
    )
    return {"alerts": flag_alerts(critical[:limit]), "count": critical.count()}


# Issues -----------------------------------------------------------------------------------


def department_issues(*, departments: list[Department], limit: int = 20) -> dict:
    """The open and mitigated issues of the register assigned to the departments, those with
    the nearest deadline first (flagged `.overdue` past it), with how many there are in all."""
    issues = (
        Issue.objects.filter(department__in=departments)
        .exclude(state=IssueState.RESOLVED)
        .select_related("campaign", "department", "owner")
        .order_by(F("deadline").asc(nulls_last=True), "-occurred_at", "pk")
    )
    today = timezone.localdate()
    listed = list(issues[:limit])
    for issue in listed:
        issue.overdue = issue.is_overdue(today)
    # The register's link filters on the department when there is one.
    department_id = departments[0].pk if len(departments) == 1 else None
    return {"issues": listed, "count": issues.count(), "department_id": department_id}


# The chart of an alert --------------------------------------------------------------------


def _scope_window(alert: Alert, today: date) -> tuple[date, date]:
    """The last CHART_DAYS days up to today, within the target's period (or the campaign's
    dates): a target or campaign that ended is shown up to its end, a young one from its start."""
    threshold = alert.threshold
    first, last = None, None
    if threshold.target_id:
        first, last = threshold.target.period_start, threshold.target.period_end
    elif alert.campaign_id:
        first, last = alert.campaign.start_date, alert.campaign.end_date
    end = min(today, last) if last else today
    start = end - timedelta(days=CHART_DAYS - 1)
    if first and first <= end:
        start = max(start, first)
    return start, end


def daily_totals(*, alert: Alert, start: date, end: date, cost: bool = False) -> dict[date, Decimal]:
    """The watched metric (or the cost metrics) summed per day in the threshold's campaign
    (or plan) and channel."""
    threshold = alert.threshold
    values = MetricValue.objects.filter(date__range=(start, end))
    values = values.filter(metric__is_cost=True) if cost else values.filter(metric=measured_metric(threshold))
    if alert.campaign_id:
        values = values.filter(campaign_id=alert.campaign_id)
    else:
        plan_id = threshold.plan_id or (threshold.target.plan_id if threshold.target_id else None)
        values = values.filter(plan_id=plan_id)
    channel_id = threshold.channel_id or (threshold.target.channel_id if threshold.target_id else None)
    if channel_id:
        values = values.filter(channel_id=channel_id)
    rows = values.order_by().values("date").annotate(total=Sum("value")).order_by("date")
    return {row["date"]: row["total"] for row in rows}


def _daily_pace(target, start: date, end: date) -> list[Decimal]:
    """What a target's pace expects on each day from start to end (its quarterly split's)."""
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]

    def due(day: date) -> Decimal:
        share = expected_share(start=target.period_start, end=target.period_end, today=day, quarters=target.quarters)
        return target.target_value * share

    return [due(day) - due(day - timedelta(days=1)) for day in days]


def _reference_line(alert: Alert, start: date, end: date) -> tuple[Decimal | list[Decimal] | None, str]:
    """The daily level (or, for a quarterly split, each day's) the chart draws against the
    values, and its label."""
    threshold = alert.threshold
    kind = threshold.kind
    metric = measured_metric(threshold)
    sums = metric is not None and metric.aggregation == Aggregation.SUM
    if kind == ThresholdKind.ATTAINMENT_BELOW and threshold.target_id:
        target = threshold.target
        if sums and target.has_quarterly_split:
            # The split's daily pace changes from one quarter to the next: one value per day.
            return _daily_pace(target, start, end), _("Daily pace to reach the target")
        if sums:
            days = (target.period_end - target.period_start).days + 1
            return target.target_value / days, _("Daily pace to reach the target")
        return target.target_value, _("Target")
    if kind in (ThresholdKind.VALUE_BELOW, ThresholdKind.VALUE_ABOVE) and threshold.bound is not None:
        days = threshold.window_days or 1
        if sums and days > 1:
            return threshold.bound / days, _("Bound per day (over %(days)s days)") % {"days": days}
        return threshold.bound, _("Bound")
    if kind == ThresholdKind.BENCHMARK_BELOW and threshold.benchmark_value is not None:
        share = (Decimal(100) - (threshold.percent or 0)) / 100
        return threshold.benchmark_value * share, _("Alert line (benchmark less the percentage)")
    if kind == ThresholdKind.COST_ABOVE_BUDGET and alert.campaign_id and not threshold.budget_line_id:
        campaign = alert.campaign
        days = (campaign.end_date - campaign.start_date).days + 1
        return campaign.budget / days, _("Budget per day")
    return None, ""


def alert_chart(*, alert: Alert, today: date | None = None) -> dict | None:
    """The watched metric's daily values over the last 30 days with the bound or expected
    level, as JSON for the alert page's chart; None for task and milestone thresholds."""
    threshold = alert.threshold
    cost = threshold.kind == ThresholdKind.COST_ABOVE_BUDGET
    if not cost and (threshold.kind not in _METRIC_KINDS or measured_metric(threshold) is None):
        return None
    start, end = _scope_window(alert, today or timezone.localdate())
    totals = daily_totals(alert=alert, start=start, end=end, cost=cost)
    reference, reference_label = _reference_line(alert, start, end)
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    if isinstance(reference, list):
        reference = [round(float(value), 4) for value in reference]
    elif reference is not None:
        reference = round(float(reference), 4)
    metric = measured_metric(threshold)
    return {
        "title": _("Marketing cost per day") if cost else metric.name,
        "start": start,
        "end": end,
        "has_values": bool(totals),
        "json": json.dumps(
            {
                "labels": [day.isoformat() for day in days],
                "values": [float(totals[day]) if day in totals else None for day in days],
                "valueLabel": _("Daily value"),
                "reference": reference,
                "referenceLabel": reference_label,
            }
        ),
    }


_METRIC_KINDS = {
    ThresholdKind.ATTAINMENT_BELOW,
    ThresholdKind.VALUE_BELOW,
    ThresholdKind.VALUE_ABOVE,
    ThresholdKind.BENCHMARK_BELOW,
}
