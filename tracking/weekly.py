"""Reads of the weekly review: what one ISO week of a campaign (or of a plan's campaigns)
holds, for the weekly progress log's draft, the log page and the review page, each in a
fixed number of queries whatever the number of tasks, values, alerts and issues."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from plans.models import AnnualPlan, Campaign
from plans.ranking import Ranking, channel_ranking
from plans.weeks import goal_weeks, week_end
from tasks.models import Stage, Task, TaskStatus
from tasks.selectors import with_blocked_reason

from .models import Alert, Issue, WeeklyLog, WeeklyLogRow
from .selectors import alert_queryset, flag_alerts

# The review page lists at most this many tasks, alerts and issues of each kind, with the count.
REVIEW_LIST_LENGTH = 20


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    """The week as times in TIME_ZONE: from Monday 00:00 to the next Monday 00:00."""
    zone = timezone.get_default_timezone()
    start = datetime.combine(monday, time.min, tzinfo=zone)
    return start, datetime.combine(monday + timedelta(days=7), time.min, tzinfo=zone)


def tasks_of_week(tasks: QuerySet[Task], monday: date) -> QuerySet[Task]:
    """Tasks active in the week (started by its Sunday and not due before its Monday) or due in it."""
    sunday = week_end(monday)
    return tasks.filter(Q(due_date__range=(monday, sunday)) | Q(start_date__lte=sunday, due_date__gte=monday))


@dataclass
class WeekData:
    """What the draft of a campaign's weekly log is written from."""

    campaign: Campaign
    monday: date
    stages: list[Stage]
    # per stage id: the week's tasks (name, status) and their counts by status
    tasks: dict[int, list[Task]]
    counts: dict[int, dict[str, int]]
    blocked: list[Task]
    alerts_opened: list[Alert]
    issues_opened: list[Issue]
    due_next_week: list[Task]
    open_alerts: list[Alert]
    goals: list
    ranking: Ranking
    overdue: dict[int, int] = field(default_factory=dict)


def week_data(*, campaign: Campaign, monday: date, today: date | None = None) -> WeekData:
    """A campaign's week for its log's draft, in eleven queries: planned tasks by stage,
    blocked tasks with their reasons, alerts and issues opened, next week's tasks, open
    alerts, goal figures with attainment against pace, and the channel ranking."""
    today = today or timezone.localdate()
    start, end = week_bounds(monday)
    sunday = week_end(monday)
    campaign_tasks = Task.objects.filter(campaign=campaign)
    stages = list(campaign.stages.all())
    tasks: dict[int, list[Task]] = {stage.pk: [] for stage in stages}
    counts: dict[int, dict[str, int]] = {stage.pk: {} for stage in stages}
    week_tasks = tasks_of_week(campaign_tasks, monday).order_by("due_date", "pk")
    for task in week_tasks.only("pk", "name", "status", "stage_id", "due_date"):
        tasks.setdefault(task.stage_id, []).append(task)
        stage_counts = counts.setdefault(task.stage_id, {})
        stage_counts[task.status] = stage_counts.get(task.status, 0) + 1
    overdue = dict(
        campaign_tasks.overdue(today=min(today, sunday + timedelta(days=1)))
        .order_by()
        .values_list("stage_id")
        .annotate(n=Count("pk"))
    )
    blocked = list(
        with_blocked_reason(campaign_tasks.filter(status=TaskStatus.BLOCKED))
        .select_related("responsible")
        .order_by("due_date", "pk")
    )
    alerts_opened = list(alert_queryset().filter(campaign=campaign, opened_at__gte=start, opened_at__lt=end))
    issues_opened = list(
        Issue.objects.filter(
            Q(occurred_at__gte=start, occurred_at__lt=end) | Q(created_at__gte=start, created_at__lt=end),
            campaign=campaign,
        )
        .select_related("owner", "department")
        .prefetch_related(Prefetch("affected_tasks", queryset=Task.objects.only("pk", "stage_id", "name")))
    )
    next_monday = monday + timedelta(days=7)
    due_next_week = list(
        campaign_tasks.open()
        .filter(due_date__range=(next_monday, week_end(next_monday)))
        .select_related("responsible")
        .order_by("due_date", "pk")
    )
    open_alerts = flag_alerts(alert_queryset().unresolved().filter(campaign=campaign))
    return WeekData(
        campaign=campaign,
        monday=monday,
        stages=stages,
        tasks=tasks,
        counts=counts,
        blocked=blocked,
        alerts_opened=alerts_opened,
        issues_opened=issues_opened,
        due_next_week=due_next_week,
        open_alerts=open_alerts,
        goals=goal_weeks(campaigns=[campaign.pk], monday=monday),
        ranking=channel_ranking(plan=campaign.plan, campaign=campaign, monday=monday),
        overdue=overdue,
    )


# Pages ------------------------------------------------------------------------------------


def log_queryset() -> QuerySet[WeeklyLog]:
    """Weekly logs with their campaign, plan and people, and their rows."""
    return WeeklyLog.objects.select_related(
        "campaign__plan", "campaign__owner", "created_by", "published_by", "corrects"
    ).prefetch_related(Prefetch("rows", queryset=WeeklyLogRow.objects.order_by("position", "pk")))


def campaign_logs(*, campaign: Campaign) -> list[WeeklyLog]:
    """Every log and revision of a campaign, newest week first (without their rows)."""
    return list(
        WeeklyLog.objects.filter(campaign=campaign)
        .select_related("published_by", "created_by")
        .order_by("-week", "-revision")
    )


def log_detail(*, log_id: int) -> WeeklyLog | None:
    """A log with its rows and the other revisions of its week."""
    log = log_queryset().filter(pk=log_id).first()
    if log is not None:
        log.revisions = list(
            WeeklyLog.objects.filter(campaign_id=log.campaign_id, week=log.week)
            .select_related("published_by")
            .order_by("-revision")
        )
    return log


def current_log(*, campaign: Campaign, monday: date) -> WeeklyLog | None:
    """The week's log as it stands (its draft, else its published revision), with rows."""
    return log_queryset().current().filter(campaign=campaign, week=monday).order_by("state", "-revision").first()


def with_clock(alerts: list[Alert], *, now: datetime | None = None) -> list[Alert]:
    """Attach `.clock_hours` to open alerts: hours left of the response time (24 by default),
    negative once it has run out; None when the analysis has started."""
    now = now or timezone.now()
    for alert in alerts:
        alert.clock_hours = None
        if alert.state == "open":
            left = alert.opened_at + settings.ALERT_RESPONSE_TIME - now
            alert.clock_hours = int(left.total_seconds() // 3600)
    return alerts


def review(*, plan: AnnualPlan, campaign: Campaign | None = None, monday: date, today: date | None = None) -> dict:
    """The weekly review of one campaign, or of a plan across its campaigns: goals against
    pace with the week's change, the channel ranking, blocked and overdue tasks, open
    alerts with their clocks, open issues with their deadlines; a fixed number of queries."""
    today = today or timezone.localdate()
    ids = [campaign.pk] if campaign is not None else Campaign.objects.filter(plan=plan).values("pk")
    tasks = Task.objects.filter(campaign_id__in=ids).select_related("campaign", "stage", "responsible")
    blocked = with_blocked_reason(tasks.filter(status=TaskStatus.BLOCKED)).order_by("due_date", "pk")
    overdue = tasks.overdue(today=today).order_by("due_date", "pk")
    alerts = alert_queryset().unresolved().filter(campaign_id__in=ids).order_by("opened_at", "pk")
    issues = (
        Issue.objects.unresolved()
        .filter(campaign_id__in=ids)
        .select_related("campaign", "owner", "department")
        .order_by("deadline", "pk")
    )
    counts = Task.objects.filter(campaign_id__in=ids).aggregate(
        blocked=Count("pk", filter=Q(status=TaskStatus.BLOCKED)),
        overdue=Count("pk", filter=Q(due_date__lt=today) & ~Q(status=TaskStatus.DONE)),
    )
    open_issues = _flag_overdue(list(issues[:REVIEW_LIST_LENGTH]), today)
    return {
        "monday": monday,
        "sunday": week_end(monday),
        "goals": goal_weeks(campaigns=ids, monday=monday),
        "ranking": channel_ranking(plan=plan, campaign=campaign, monday=monday),
        "blocked": list(blocked[:REVIEW_LIST_LENGTH]),
        "blocked_count": counts["blocked"],
        "overdue": list(overdue[:REVIEW_LIST_LENGTH]),
        "overdue_count": counts["overdue"],
        "alerts": with_clock(flag_alerts(alerts[:REVIEW_LIST_LENGTH])),
        "alert_count": alerts.count(),
        "issues": open_issues,
        "issue_count": issues.count(),
        "today": today,
    }


def _flag_overdue(issues: list[Issue], today: date) -> list[Issue]:
    for issue in issues:
        issue.overdue = issue.is_overdue(today)
    return issues


def campaign_open_issues(*, campaign: Campaign, today: date | None = None) -> tuple[list[Issue], int]:
    """The campaign's unresolved issues for the log page's card, earliest deadline first
    (those without one last), each flagged `.overdue`, and how many there are: two queries."""
    today = today or timezone.localdate()
    issues = (
        Issue.objects.unresolved()
        .filter(campaign=campaign)
        .select_related("owner", "department")
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    )
    return _flag_overdue(list(issues[:REVIEW_LIST_LENGTH]), today), issues.count()


def log_history(log: WeeklyLog, *, limit: int = 30) -> list[dict]:
    """Who changed what in a log and its rows, newest first, in two queries: each change with
    its time, its author and the names of the fields it changed (drafted, published…)."""
    entries = []
    for model, records in (
        (WeeklyLog, log.history.select_related("history_user").order_by("history_date", "history_id")),
        (
            WeeklyLogRow,
            WeeklyLogRow.history.filter(log_id=log.pk)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id"),
        ),
    ):
        previous = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            if before is None:
                if model is WeeklyLogRow:
                    continue  # a row is made with its log: the log's creation says so
                what = [str(model._meta.verbose_name)]
            else:
                what = [
                    str(model._meta.get_field(name).verbose_name)
                    for name in _changed_fields(before, record)
                    if name not in {"updated_at", "log", "stage", "drafted_at"}
                ]
            if not what:
                continue
            label = getattr(record, "stage_name", "")
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "what": what,
                    "row": label,
                    "created": before is None,
                }
            )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:limit]


def _changed_fields(before, after) -> list[str]:
    return [
        field.name
        for field in after.instance_type._meta.concrete_fields
        if field.name != "id" and getattr(before, field.attname) != getattr(after, field.attname)
    ]
