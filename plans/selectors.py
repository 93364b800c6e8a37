"""Reads for plans: querysets and plain data for pages, the API and jobs.

Actuals are aggregated in the database with one correlated subquery per target row, so a
page with any number of targets runs the same number of queries.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .attainment import Attainment, Status, evaluate
from .models import (
    Aggregation,
    AnnualPlan,
    BudgetCategory,
    BudgetLine,
    Campaign,
    CampaignStatus,
    Channel,
    Metric,
    MetricValue,
    PlanItem,
    PlanStatus,
    QuarterFocus,
    Target,
)

VALUE_FIELD = DecimalField(max_digits=18, decimal_places=4)


def _values_in_scope_of_target():
    """Metric values that count towards the outer target: same metric, same campaign (or, for
    a plan target, anywhere in the plan), inside its period, and on its channel if it has one."""
    return (
        MetricValue.objects.annotate(channel_or_zero=Coalesce("channel_id", Value(0)))
        .filter(
            Q(campaign_id=OuterRef("campaign_id")) | Q(plan_id=OuterRef("plan_id")),
            metric_id=OuterRef("metric_id"),
            date__gte=OuterRef("period_start"),
            date__lte=OuterRef("period_end"),
            # NULL-safe "same channel, or any channel when the target has none".
            channel_or_zero=Coalesce(OuterRef("channel_id"), F("channel_or_zero")),
        )
        .order_by()
    )


def annotate_actuals(targets: QuerySet[Target]) -> QuerySet[Target]:
    """Add `actual`: the target's metric aggregated per the metric (sum, last, average)."""
    values = _values_in_scope_of_target()
    total = values.values("metric_id").annotate(result=Sum("value")).values("result")
    mean = values.values("metric_id").annotate(result=Avg("value")).values("result")
    # The latest day's value; a total (no channel) recorded that day wins over a channel's.
    last = values.order_by("-date", F("channel_id").asc(nulls_first=True), "-recorded_at").values("value")[:1]
    return targets.annotate(
        actual=Case(
            When(metric__aggregation=Aggregation.SUM, then=Subquery(total, output_field=VALUE_FIELD)),
            When(metric__aggregation=Aggregation.AVERAGE, then=Subquery(mean, output_field=VALUE_FIELD)),
            default=Subquery(last, output_field=VALUE_FIELD),
            output_field=VALUE_FIELD,
        )
    )


def attainment_of(target: Target, *, today: date | None = None) -> Attainment:
    """Attainment of a target that carries an `actual` annotation (see annotate_actuals)."""
    actual = getattr(target, "actual", None)
    if actual is not None and not isinstance(actual, Decimal):
        actual = Decimal(str(actual))
    return evaluate(
        actual=actual,
        target=target.target_value,
        aggregation=target.metric.aggregation,
        direction=target.metric.direction,
        start=target.period_start,
        end=target.period_end,
        today=today or timezone.localdate(),
    )


def target_list() -> QuerySet[Target]:
    """Targets with metric, channel and actual, for lists and the API."""
    return annotate_actuals(Target.objects.select_related("metric", "channel", "parent"))


def with_attainment(targets, *, today: date | None = None) -> list[Target]:
    """Evaluate annotated targets and attach `.attainment` to each."""
    today = today or timezone.localdate()
    targets = list(targets)
    for target in targets:
        target.attainment = attainment_of(target, today=today)
    return targets


def goal_tree(targets: list[Target]) -> list[Target]:
    """Top-level goals with `.subgoals` (and their sum) attached, in order."""
    by_parent = defaultdict(list)
    for target in targets:
        by_parent[target.parent_id].append(target)
    for target in targets:
        target.subgoals = by_parent.get(target.pk, [])
        target.subgoal_total = sum((child.target_value for child in target.subgoals), Decimal(0))
        target.subgoal_gap = target.target_value - target.subgoal_total if target.subgoals else None
    return by_parent[None]


def active_plans() -> QuerySet[AnnualPlan]:
    """The plans in force, with their owner."""
    return AnnualPlan.objects.active().select_related("owner")


def plan_kpis(*, plans: list[AnnualPlan], today: date | None = None) -> list[AnnualPlan]:
    """Attach `.kpis` to each plan: its headline targets (the top-level ones) with their
    attainment, in order, in one query whatever the number of plans and targets."""
    targets = with_attainment(
        target_list().filter(plan__in=plans, parent__isnull=True).order_by("plan_id", "sort_order", "pk"),
        today=today,
    )
    by_plan = defaultdict(list)
    for target in targets:
        by_plan[target.plan_id].append(target)
    for plan in plans:
        plan.kpis = by_plan.get(plan.pk, [])
    return plans


def plans_to_approve() -> QuerySet[AnnualPlan]:
    """Draft plans, waiting for an executive's approval, with their owner."""
    return AnnualPlan.objects.filter(status=PlanStatus.DRAFT).select_related("owner")


def plan_list() -> QuerySet[AnnualPlan]:
    """Plans with their owner and counts, newest year first."""
    return (
        AnnualPlan.objects.select_related("owner")
        .annotate(campaign_count=Count("campaigns", distinct=True), target_count=Count("targets", distinct=True))
        .order_by("-year", "title")
    )


def budget_lines_with_shares(plan: AnnualPlan, lines: list[BudgetLine]) -> dict:
    """Budget lines with their share of the plan's budget, totals by category."""
    order = list(BudgetCategory.values)
    lines = sorted(lines, key=lambda line: (order.index(line.category), line.pk))
    allocated = sum((line.planned_amount for line in lines), Decimal(0))
    total = plan.budget if plan.budget else allocated
    for line in lines:
        line.share = (line.planned_amount / total * 100) if total else None
    by_category = defaultdict(Decimal)
    for line in lines:
        by_category[line.category] += line.planned_amount
    categories = [
        {"category": category, "amount": amount, "share": (amount / total * 100) if total else None}
        for category, amount in by_category.items()
    ]
    return {
        "lines": lines,
        "allocated": allocated,
        "total": total,
        "unallocated": (total - allocated) if plan.budget else None,
        "categories": categories,
    }


def campaign_summaries(campaigns: list[Campaign], campaign_targets: list[Target]) -> list[Campaign]:
    """Attach `.goals` (evaluated top-level targets) and `.headline` to each campaign."""
    goals = defaultdict(list)
    for target in campaign_targets:
        goals[target.campaign_id].append(target)
    for campaign in campaigns:
        campaign.goals = goal_tree(goals.get(campaign.pk, []))
        campaign.headline = campaign.goals[0] if campaign.goals else None
    return campaigns


def plan_detail(*, plan_id: int, today: date | None = None) -> dict | None:
    """Everything the plan page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    plan = AnnualPlan.objects.select_related("owner", "approved_by").filter(pk=plan_id).first()
    if plan is None:
        return None
    targets = with_attainment(target_list().filter(plan=plan), today=today)
    campaigns = list(plan.campaigns.select_related("owner"))
    campaign_targets = with_attainment(
        target_list().filter(campaign__plan=plan).order_by("campaign_id", "sort_order", "pk"), today=today
    )
    items = defaultdict(list)
    for item in PlanItem.objects.filter(plan=plan):
        items[item.section].append(item)
    return {
        "plan": plan,
        "targets": targets,
        "goals": goal_tree(targets),
        "budget": budget_lines_with_shares(plan, list(plan.budget_lines.select_related("channel"))),
        "items": items,
        "quarters": {focus.quarter: focus for focus in QuarterFocus.objects.filter(plan=plan)},
        "campaigns": campaign_summaries(campaigns, campaign_targets),
        "today": today,
    }


def campaign_detail(*, campaign_id: int, today: date | None = None) -> dict | None:
    """The campaign hub: header, goal tree with attainment, recent values, in fixed queries."""
    today = today or timezone.localdate()
    campaign = Campaign.objects.select_related("plan", "owner").filter(pk=campaign_id).first()
    if campaign is None:
        return None
    targets = with_attainment(target_list().filter(campaign=campaign), today=today)
    recent_values = list(
        MetricValue.objects.filter(campaign=campaign)
        .select_related("metric", "channel", "recorded_by")
        .order_by("-date", "metric__code", "channel__code")[:30]
    )
    spend = MetricValue.objects.filter(campaign=campaign, metric__is_cost=True).aggregate(total=Sum("value"))[
        "total"
    ] or Decimal(0)
    return {
        "campaign": campaign,
        "targets": targets,
        "goals": goal_tree(targets),
        "recent_values": recent_values,
        "spend": spend,
        "spend_share": (spend / campaign.budget * 100) if campaign.budget else None,
        "days_left": (campaign.end_date - today).days,
        "today": today,
    }


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("plan", "owner")


def metric_list(*, include_inactive: bool = False) -> QuerySet[Metric]:
    """The metric dictionary: the metrics in use, or every metric (old values and targets
    refer to inactive ones too)."""
    metrics = Metric.objects.all()
    return metrics if include_inactive else metrics.filter(is_active=True)


def channel_list() -> QuerySet[Channel]:
    return Channel.objects.select_related("parent")


def metric_value_list() -> QuerySet[MetricValue]:
    return MetricValue.objects.select_related("metric", "channel", "campaign", "recorded_by")


def goal_daily_totals(*, target: Target) -> dict:
    """Daily totals of a target's metric in its scope, channel and period (for its chart)."""
    values = MetricValue.objects.filter(
        metric_id=target.metric_id, date__range=(target.period_start, target.period_end)
    )
    values = (
        values.filter(campaign_id=target.campaign_id) if target.campaign_id else values.filter(plan_id=target.plan_id)
    )
    if target.channel_id:
        values = values.filter(channel_id=target.channel_id)
    rows = values.values("date").annotate(total=Sum("value")).order_by("date")
    return {row["date"]: float(row["total"]) for row in rows}


def dashboard_campaigns(*, today: date | None = None) -> list[Campaign]:
    """Campaigns in planning or execution with their evaluated goals, worst first."""
    today = today or timezone.localdate()
    campaigns = list(
        Campaign.objects.select_related("plan", "owner")
        .filter(status__in=[CampaignStatus.PLANNING, CampaignStatus.EXECUTING])
        .order_by("end_date")
    )
    targets = with_attainment(
        target_list().filter(campaign__in=[c.pk for c in campaigns]).order_by("campaign_id", "sort_order", "pk"),
        today=today,
    )
    campaign_summaries(campaigns, targets)
    rank = {Status.OFF_TRACK: 0, Status.AT_RISK: 1}
    for campaign in campaigns:
        statuses = [goal.attainment.status for goal in campaign.goals]
        campaign.at_risk_goals = [goal for goal in campaign.goals if goal.attainment.status in rank]
        campaign.worst = min(statuses, key=lambda s: rank.get(s, 2)) if statuses else None
    return sorted(campaigns, key=lambda c: (rank.get(c.worst, 2), c.end_date))


# --- Added for the plans REST API (plans/api) -----------------------------------------------


def plan_item_list() -> QuerySet[PlanItem]:
    """Narrative items of plans (review, challenges, strategies, safeguards), in plan order."""
    return PlanItem.objects.all()


def quarter_focus_list() -> QuerySet[QuarterFocus]:
    """The quarterly focus of plans."""
    return QuarterFocus.objects.all()


def budget_line_list() -> QuerySet[BudgetLine]:
    """Budget lines with their channel and `budget_total`: the plan's budget, or the sum of
    its lines when it has none (as budget_lines_with_shares), in the same query."""
    allocated = (
        BudgetLine.objects.filter(plan_id=OuterRef("plan_id"))
        .order_by()
        .values("plan_id")
        .annotate(total=Sum("planned_amount"))
        .values("total")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    return BudgetLine.objects.select_related("channel").annotate(
        budget_total=Case(
            When(plan__budget__gt=0, then=F("plan__budget")),
            default=Subquery(allocated, output_field=money),
            output_field=money,
        )
    )
