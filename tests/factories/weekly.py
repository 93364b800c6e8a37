"""Weekly reviews: a campaign with stages, tasks, figures, alerts and issues in one ISO week
(2026-W24, Monday 8 June to Sunday 14 June 2026), and its logs."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from plans.models import Campaign
from tasks.models import StatusUpdate, Task, TaskStatus
from tracking.models import Issue, WeeklyLog
from tracking.services.weekly_logs import weekly_log_draft

from .plans import CampaignFactory, TargetFactory, record_value
from .tasks import StageFactory, TaskFactory

WEEK = date(2026, 6, 8)
SUNDAY = date(2026, 6, 14)
# Friday afternoon of that week, when the meeting is held.
FRIDAY = date(2026, 6, 12)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(settings.TIME_ZONE))


def week_campaign(**fields) -> Campaign:
    """A June 2026 campaign with two stages (预热宣传, 正式推广) and a units-sold goal of 30,000."""
    campaign = CampaignFactory(**fields)
    StageFactory(campaign=campaign, name_zh="预热宣传", name_en="Warm-up", position=1)
    StageFactory(campaign=campaign, name_zh="正式推广", name_en="Launch and promotion", position=2)
    TargetFactory(campaign=campaign, target_value=Decimal("30000"), name="Units sold")
    return campaign


def stages(campaign: Campaign) -> list:
    return list(campaign.stages.order_by("position"))


def week_task(campaign: Campaign, *, stage=0, status=TaskStatus.NOT_STARTED, due=FRIDAY, reason="", **fields) -> Task:
    """A task of the campaign's stage (by index) due in the week; blocked with `reason` when given."""
    task = TaskFactory(stage=stages(campaign)[stage], campaign=campaign, status=status, due_date=due, **fields)
    if status == TaskStatus.BLOCKED:
        StatusUpdate.objects.create(
            task=task,
            author=task.responsible,
            created_at=at(WEEK),
            old_status=TaskStatus.IN_PROGRESS,
            new_status=TaskStatus.BLOCKED,
            progress=0,
            note=reason or "design material late",
        )
    return task


def week_issue(campaign: Campaign, *, tasks=(), **fields) -> Issue:
    issue = Issue.objects.create(
        campaign=campaign,
        **{"description": "Design material arrives late", "occurred_at": at(WEEK + timedelta(days=1)), **fields},
    )
    issue.affected_tasks.set(tasks)
    return issue


def daily_sales(campaign: Campaign, *, start: date, days: int, value: str, via=None, code="units_sold") -> None:
    for offset in range(days):
        record_value(campaign, code=code, on=start + timedelta(days=offset), value=value, via=via)


def draft(campaign: Campaign, *, monday: date = WEEK, by=None) -> WeeklyLog:
    return weekly_log_draft(campaign=campaign, monday=monday, by=by, today=FRIDAY)[0]


def many_tasks(campaign: Campaign, count: int) -> None:
    """`count` tasks spread over the campaign's stages and the week's days, a tenth blocked
    and a tenth overdue, in one statement (the query-count tests' large size)."""
    from .accounts import UserFactory

    responsible, accountable = UserFactory(), UserFactory()
    stage_list = stages(campaign)
    statuses = [TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED, TaskStatus.BLOCKED]
    Task.objects.bulk_create(
        Task(
            campaign=campaign,
            stage=stage_list[n % len(stage_list)],
            name=f"Task {n}",
            responsible=responsible,
            accountable=accountable,
            status=statuses[n % 4] if n % 10 else TaskStatus.NOT_STARTED,
            due_date=WEEK + timedelta(days=n % 14 - 3),
        )
        for n in range(count)
    )


def many_values(campaign: Campaign, count: int) -> None:
    """About `count` values in the week: every metric on every channel and day of the week,
    in the campaign and in other campaigns of its plan, in bulk."""
    from plans.models import Channel, Metric, MetricValue

    metrics, channels = list(Metric.objects.all()), [None, *Channel.objects.all()]
    campaigns, rows = [campaign], []
    while len(rows) < count:
        target = campaigns[-1]
        for day in range(7):
            when = WEEK + timedelta(days=day)
            for measured in metrics:
                for via in channels:
                    rows.append(
                        MetricValue(
                            metric=measured,
                            plan=target.plan,
                            campaign=target,
                            channel=via,
                            date=when,
                            value=Decimal(10 + day),
                        )
                    )
        campaigns.append(CampaignFactory(plan=campaign.plan))
    MetricValue.objects.bulk_create(rows[:count], batch_size=2000)
