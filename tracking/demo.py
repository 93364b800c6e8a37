"""Demo thresholds of the launch campaign, the ones the execution template names
(销量达成率低于80%, 转化率低于行业平均20%), with the campaign's daily online orders and
visitors giving a conversion rate (derived: orders / visitors) of about 2.2% against an
industry average of 3.0%. Running it again changes nothing.

The thresholds are checked once right after they are created, so the manager's dashboard
shows the campaign's alerts as soon as `make run` is up, without waiting for the first beat
run (beat checks them every THRESHOLD_CHECK_MINUTES from then on). A second seed finds the
thresholds and leaves both them and their alerts alone.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from plans.demo import CAMPAIGN_NAME
from plans.models import METRIC_VALUE_KEY, Campaign, Channel, Metric, MetricValue, ValueSource, metric_value_key
from plans.services import ValueRow, metric_values_record
from plans.weeks import week_in_campaign, week_start

from .adjustment_demo import seed_adjustments
from .demo_issues import seed_issues
from .evaluation import evaluate_all
from .models import Severity, Threshold, ThresholdKind, WeeklyLogState
from .services import weekly_logs
from .services.thresholds import threshold_create
from .services.weekly_logs import weekly_log_draft, weekly_log_update

BENCHMARK_SOURCE = "行业报告 2026"


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def seed(*, stdout=None):
    campaign = Campaign.objects.select_related("plan").filter(name=CAMPAIGN_NAME).first()
    if campaign is None:
        return None
    manager = _user("manager")
    online = Channel.objects.get(code="online")
    conversion = Metric.objects.get(code="conversion_rate")
    _record_orders_and_visitors(campaign=campaign, channel=online, manager=manager)

    goal = campaign.targets.filter(parent__isnull=True, metric__code="units_sold").first()
    online_goal = campaign.targets.filter(parent=goal, channel=online).first() if goal else None
    wanted = [
        # The template's own example: online sales at 60% of their target in week one.
        (
            {"kind": ThresholdKind.ATTAINMENT_BELOW, "target": online_goal},
            {"percent": Decimal(80), "paced": True, "severity": Severity.CRITICAL},
            ["ecommerce", "ecom_lead"],
        ),
        (
            {"kind": ThresholdKind.ATTAINMENT_BELOW, "target": goal},
            {"percent": Decimal(80), "paced": True, "severity": Severity.WARNING},
            [],
        ),
        (
            {"kind": ThresholdKind.BENCHMARK_BELOW, "campaign": campaign, "metric": conversion},
            {
                "channel": online,
                "percent": Decimal(20),
                "benchmark_value": Decimal("3.0"),
                "benchmark_source": BENCHMARK_SOURCE,
                "window_days": 7,
                "severity": Severity.WARNING,
            },
            ["ecommerce"],
        ),
        ({"kind": ThresholdKind.TASKS_OVERDUE, "campaign": campaign}, {"severity": Severity.WARNING}, []),
        ({"kind": ThresholdKind.MILESTONE_MISSED, "campaign": campaign}, {"severity": Severity.CRITICAL}, []),
        (
            {"kind": ThresholdKind.COST_ABOVE_BUDGET, "campaign": campaign},
            {"percent": Decimal(10), "severity": Severity.WARNING},
            [],
        ),
    ]
    created = []
    for key, fields, recipients in wanted:
        if "target" in key and key["target"] is None:
            continue
        if Threshold.objects.filter(**key).exists():
            continue
        threshold = threshold_create(
            **key,
            **fields,
            recipients=[user for user in map(_user, recipients) if user is not None],
            by=manager,
        )
        created.append(threshold.pk)
    if created:
        report = evaluate_all(thresholds=Threshold.objects.filter(pk__in=created))
        if stdout is not None:
            stdout.write(
                f"Demo thresholds checked: {len(report.opened)} alerts opened "
                "(`manage.py check_thresholds` runs the check again)."
            )
    seed_issues(campaign=campaign, manager=manager)
    _seed_weekly_logs(campaign=campaign, manager=manager)
    seed_adjustments(campaign=campaign, stdout=stdout)
    return campaign


def _seed_weekly_logs(*, campaign: Campaign, manager: User | None) -> None:
    """Last week's log, published after its meeting on Friday, and this week's draft (the
    Friday job would write it); a second seed finds both and changes nothing."""
    if manager is None:
        return
    today = timezone.localdate()
    last_monday = week_start(today) - timedelta(days=7)
    if week_in_campaign(campaign, last_monday):
        log, _created = weekly_log_draft(campaign=campaign, monday=last_monday, by=manager)
        if log.state == WeeklyLogState.DRAFT:
            weekly_log_update(
                log=log,
                by=manager,
                meeting_date=last_monday + timedelta(days=4),
                participants="市场部、销售部、设计部、电商运营 Marketing, sales, design, e-commerce",
                summary=(
                    "线上销量落后进度,推文2因设计素材未到位延迟;决定协调设计部加急,并把投放向高转化素材倾斜。"
                    " Online sales trail their pace; tweet 2 is late (design material); design expedites it and "
                    "spend moves to the best-converting creatives."
                ),
            )
            weekly_logs.weekly_log_publish(log=log, by=manager)
    if week_in_campaign(campaign, week_start(today)):
        weekly_log_draft(campaign=campaign, monday=week_start(today), by=manager)


def _record_orders_and_visitors(*, campaign: Campaign, channel: Channel, manager: User | None) -> None:
    """The online orders and visitors from the campaign's start to yesterday: 5,000 visitors a
    day and about 110 orders, a conversion rate (derived: orders / visitors) of about 2.2%;
    only the missing days are added."""
    orders, visitors = Metric.objects.get(code="orders"), Metric.objects.get(code="visitors")
    today = timezone.localdate()
    rows = []
    day = campaign.start_date
    while day < today and day <= campaign.end_date:
        n = (day - campaign.start_date).days
        wobble = (n * 37) % 11 - 5  # a repeatable ±5 orders (±0.1 point) day-to-day variation
        for metric, value in ((visitors, Decimal(5000)), (orders, Decimal(110 + wobble))):
            rows.append(
                ValueRow(
                    metric=metric,
                    date=day,
                    value=value,
                    plan=campaign.plan,
                    campaign=campaign,
                    channel=channel,
                )
            )
        day += timedelta(days=1)
    keys = {
        metric_value_key(
            metric_id=row.metric.pk,
            plan_id=campaign.plan_id,
            campaign_id=campaign.pk,
            channel_id=channel.pk,
            date=row.date,
        ): row
        for row in rows
    }
    existing = set(MetricValue.objects.filter(campaign=campaign).values_list(*METRIC_VALUE_KEY))
    missing = [row for key, row in keys.items() if key not in existing]
    if missing:
        metric_values_record(rows=missing, source=ValueSource.MANUAL, recorded_by=manager)
