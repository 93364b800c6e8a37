"""Reads for plans: querysets and plain data for pages, the API and jobs.

Actuals are aggregated in the database with one correlated subquery per target row, so a
page with any number of targets runs the same number of queries.
"""

import hashlib
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, NullIf
from django.utils import timezone

from .actuals import cached_figures, cached_plan_figure
from .attainment import Attainment, Status, evaluate, quarter_attainments
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
    Unit,
)

VALUE_FIELD = DecimalField(max_digits=18, decimal_places=4)


def _values_in_scope_of_target(metric: str = "metric_id", *, since: date | None = None, until: date | None = None):
    """Metric values that count towards the outer target: same metric (or the outer `metric`
    reference: a derived metric's component), same campaign (or, for a plan target, anywhere
    in the plan), inside its period (from `since` and up to `until`, when given), and on its
    channel if it has one."""
    values = MetricValue.objects.all()
    if since is not None:
        values = values.filter(date__gte=since)
    if until is not None:
        values = values.filter(date__lte=until)
    return (
        values.annotate(channel_or_zero=Coalesce("channel_id", Value(0)))
        .filter(
            Q(campaign_id=OuterRef("campaign_id")) | Q(plan_id=OuterRef("plan_id")),
            metric_id=OuterRef(metric),
            date__gte=OuterRef("period_start"),
            date__lte=OuterRef("period_end"),
            # NULL-safe "same channel, or any channel when the target has none".
            channel_or_zero=Coalesce(OuterRef("channel_id"), F("channel_or_zero")),
        )
        .order_by()
    )


def _component_total(metric: str, *, since: date | None = None, until: date | None = None) -> Subquery:
    total = (
        _values_in_scope_of_target(metric, since=since, until=until)
        .values("metric_id")
        .annotate(result=Sum("value"))
        .values("result")
    )
    return Subquery(total, output_field=VALUE_FIELD)


class Fractional(Func):
    """A number that keeps its fraction when divided: SQLite divides integers as integers."""

    template = "%(expressions)s"
    output_field = VALUE_FIELD

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS REAL)", **extra)


def derived_actual(*, since: date | None = None, until: date | None = None) -> ExpressionWrapper:
    """A derived metric's actual: its numerator's total over its denominator's in the target's
    scope and period (between `since` and `until` when given), scaled (×100 for a percentage);
    NULL while the denominator is 0 or none."""
    return ratio_of(
        _component_total("metric__numerator_id", since=since, until=until),
        _component_total("metric__denominator_id", since=since, until=until),
        unit="metric__unit",
    )


def ratio_of(numerator, denominator, *, unit: str) -> ExpressionWrapper:
    """A derived metric's value from its two component totals (expressions): numerator ÷
    denominator, ×100 when the metric (its unit read from the field `unit`) is a percentage;
    NULL while the denominator is 0 or none. The one formula every reader of a derived metric
    uses (targets here, the threshold check's windows in tracking)."""
    scale = Case(
        When(**{unit: Unit.PERCENT}, then=Value(Decimal(100))), default=Value(Decimal(1)), output_field=VALUE_FIELD
    )
    return ExpressionWrapper(
        Fractional(numerator) * scale / NullIf(denominator, Value(Decimal(0), output_field=VALUE_FIELD)),
        output_field=VALUE_FIELD,
    )


def annotate_actuals(
    targets: QuerySet[Target], *, since: date | None = None, until: date | None = None, name: str = "actual"
) -> QuerySet[Target]:
    """Add `actual` (or `name`): the target's metric aggregated per the metric (sum, last,
    average; a ratio of two metrics from its two components, see derived_actual) over its
    period; with `since` and `until`, over the part of its period between them (the actual as it
    stood on a day, or one week's figure, for the weekly review)."""
    values = _values_in_scope_of_target(since=since, until=until)
    total = values.values("metric_id").annotate(result=Sum("value")).values("result")
    mean = values.values("metric_id").annotate(result=Avg("value")).values("result")
    # The latest day's value; a total (no channel) recorded that day wins over a channel's.
    last = values.order_by("-date", F("channel_id").asc(nulls_first=True), "-recorded_at").values("value")[:1]
    return targets.annotate(
        **{
            name: Case(
                When(metric__aggregation=Aggregation.SUM, then=Subquery(total, output_field=VALUE_FIELD)),
                When(metric__aggregation=Aggregation.AVERAGE, then=Subquery(mean, output_field=VALUE_FIELD)),
                When(metric__aggregation=Aggregation.RATIO, then=derived_actual(since=since, until=until)),
                default=Subquery(last, output_field=VALUE_FIELD),
                output_field=VALUE_FIELD,
            )
        }
    )


def attainment_of(target: Target, *, today: date | None = None, field: str = "actual") -> Attainment:
    """Attainment of a target that carries an `actual` annotation (see annotate_actuals), or
    the annotation named `field`."""
    actual = getattr(target, field, None)
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
        quarters=target.quarters,
    )


def annotate_quarterly_actuals(targets: QuerySet[Target]) -> QuerySet[Target]:
    """Add `q1_actual`…`q4_actual`: the target's metric summed over each calendar quarter of
    its period's first year (within the period), for targets split by quarter."""
    values = _values_in_scope_of_target().filter(date__year=ExtractYear(OuterRef("period_start")))
    return targets.annotate(
        **{
            f"q{quarter}_actual": Subquery(
                values.filter(date__quarter=quarter).values("metric_id").annotate(result=Sum("value")).values("result"),
                output_field=VALUE_FIELD,
            )
            for quarter in range(1, 5)
        }
    )


def with_quarters(targets: list[Target], *, today: date) -> list[Target]:
    """Attach `.quarter_rows` (each quarter's actual against its part of the split, see
    attainment.quarter_attainments) to targets with a quarterly split, annotated by
    annotate_quarterly_actuals; an empty list to the others."""
    for target in targets:
        target.quarter_rows = []
        if target.has_quarterly_split and target.metric.aggregation == Aggregation.SUM and target.target_value:
            target.quarter_rows = quarter_attainments(
                quarters=target.quarters,
                actuals=[getattr(target, f"q{quarter}_actual", None) for quarter in range(1, 5)],
                target=target.target_value,
                direction=target.metric.direction,
                start=target.period_start,
                end=target.period_end,
                today=today,
            )
    return targets


def target_rows() -> QuerySet[Target]:
    """Targets with metric and channel, without their actual (see with_cached_actuals)."""
    return Target.objects.select_related("metric", "channel")


def target_list() -> QuerySet[Target]:
    """Targets with metric, channel, parent and actual, for lists and the API."""
    return annotate_actuals(target_rows().select_related("parent"))


def versioned(targets: QuerySet[Target]) -> QuerySet[Target]:
    """Add the version of the values each target's actual reads: `campaign_values_version`
    (a campaign's target) and `plan_values_version` (a plan's), see plans.actuals."""
    return targets.annotate(
        campaign_values_version=F("campaign__values_version"), plan_values_version=F("plan__values_version")
    )


def with_cached_actuals(targets: QuerySet[Target], *, quarterly: bool = False) -> list[Target]:
    """The targets (their metric selected) with `actual` as annotate_actuals computes it and,
    with `quarterly`, `q1_actual`…`q4_actual` for those split by quarter (as
    annotate_quarterly_actuals): read from the cache while the values they read and their
    definition are unchanged, else computed in one query for all the missing ones."""
    targets = list(versioned(targets))

    def actuals(pks: list[int]) -> dict[int, object]:
        return dict(annotate_actuals(Target.objects.filter(pk__in=pks)).values_list("pk", "actual"))

    figures = cached_figures(targets, kind="actual", compute=actuals)
    for target in targets:
        target.actual = figures[target.pk]
    if quarterly:
        names = [f"q{quarter}_actual" for quarter in range(1, 5)]

        def quarters(pks: list[int]) -> dict[int, object]:
            rows = annotate_quarterly_actuals(Target.objects.filter(pk__in=pks)).values_list("pk", *names)
            return {pk: tuple(figures) for pk, *figures in rows}

        split = [target for target in targets if target.has_quarterly_split]
        by_target = cached_figures(split, kind="quarters", compute=quarters)
        for target in split:
            for name, figure in zip(names, by_target[target.pk], strict=True):
                setattr(target, name, figure)
    return targets


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
        with_cached_actuals(
            target_rows().filter(plan__in=plans, parent__isnull=True).order_by("plan_id", "sort_order", "pk")
        ),
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
        AnnualPlan.objects.select_related("owner", "ranking_output_metric", "ranking_cost_metric")
        .annotate(campaign_count=Count("campaigns", distinct=True), target_count=Count("targets", distinct=True))
        .order_by("-year", "title")
    )


def recorded_cost(*, plan, channel=None) -> Subquery:
    """The marketing cost recorded in a plan (values of metrics marked as cost, campaigns'
    included), or only on a channel and its sub-channels: a subquery for an annotation, whose
    `plan` and `channel` are OuterRef()s. The plan page, the API and the cost thresholds on
    budget lines all read a budget line's spend through it."""
    costs = MetricValue.objects.filter(metric__is_cost=True, plan_id=plan).order_by()
    if channel is not None:
        costs = costs.filter(Q(channel_id=channel) | Q(channel__parent_id=channel))
    return Subquery(costs.values("plan_id").annotate(total=Sum("value")).values("total"), output_field=VALUE_FIELD)


def cost_on_no_line(*, plan) -> Subquery:
    """The marketing cost recorded in a plan that no budget line's spend counts: without a
    channel, or on a channel that neither a line nor its parent has (`plan` an OuterRef())."""
    line_channels = BudgetLine.objects.filter(plan_id=OuterRef(plan), channel__isnull=False).values("channel_id")
    costs = (
        MetricValue.objects.filter(metric__is_cost=True, plan_id=plan)
        .exclude(channel_id__in=line_channels)
        .exclude(channel__parent_id__in=line_channels)
        .order_by()
    )
    return Subquery(costs.values("plan_id").annotate(total=Sum("value")).values("total"), output_field=VALUE_FIELD)


def with_spend(lines: QuerySet[BudgetLine]) -> QuerySet[BudgetLine]:
    """Add `spent` to budget lines: the cost recorded on the line's channel and its
    sub-channels, 0 when none is; None for a line without a channel, to which no recorded
    cost can be matched (costs are recorded by channel, not by category)."""
    return lines.annotate(
        spent=Case(
            When(channel__isnull=True, then=Value(None, output_field=VALUE_FIELD)),
            default=Coalesce(
                recorded_cost(plan=OuterRef("plan_id"), channel=OuterRef("channel_id")),
                Value(Decimal(0), output_field=VALUE_FIELD),
            ),
            output_field=VALUE_FIELD,
        )
    )


def _decimal_or_none(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _cost_definition(lines: list[BudgetLine]) -> str:
    """What a plan's recorded cost and its lines' spend are computed from besides the values:
    the metrics marked as cost, the channels' parents and the lines' channels (one query)."""
    rows = (
        Metric.objects.filter(is_cost=True)
        .order_by()
        .values_list(Value("metric"), "pk", Value(None, output_field=IntegerField()))
        .union(
            Channel.objects.filter(parent__isnull=False).order_by().values_list(Value("channel"), "pk", "parent_id"),
            all=True,
        )
    )
    parts = sorted(":".join(map(str, row)) for row in rows)
    parts += sorted(f"line:{line.pk}:{line.channel_id}" for line in lines)
    return hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()


def with_cached_spend(plan: AnnualPlan, lines: list[BudgetLine]) -> list[BudgetLine]:
    """Attach to the plan `recorded_cost` and `cost_on_no_line`, and to its budget lines
    `spent`, as with_spend computes them: from the cache while the plan's values and what they
    are computed from are unchanged (plans.actuals), else in two queries."""

    def compute():
        costs = (
            AnnualPlan.objects.filter(pk=plan.pk)
            .annotate(
                recorded_cost=Coalesce(recorded_cost(plan=OuterRef("pk")), Value(Decimal(0), output_field=VALUE_FIELD)),
                cost_on_no_line=cost_on_no_line(plan=OuterRef("pk")),
            )
            .values_list("recorded_cost", "cost_on_no_line")
            .get()
        )
        return costs, dict(with_spend(BudgetLine.objects.filter(plan=plan)).values_list("pk", "spent"))

    (plan.recorded_cost, plan.cost_on_no_line), spent = cached_plan_figure(
        plan, kind="spend", definition=_cost_definition(lines), compute=compute
    )
    for line in lines:
        line.spent = spent.get(line.pk)
    return lines


def budget_use(line: BudgetLine) -> BudgetLine:
    """Attach `remaining` (planned less spent: negative when overspent), `overspent` and
    `spent_share` (% of the planned amount) to a line annotated by with_spend."""
    line.spent = _decimal_or_none(getattr(line, "spent", None))
    if line.spent is None:
        line.remaining = line.overspent = line.spent_share = None
        return line
    line.remaining = line.planned_amount - line.spent
    line.overspent = -line.remaining if line.remaining < 0 else None
    line.spent_share = line.spent / line.planned_amount * 100 if line.planned_amount else None
    return line


def budget_lines_with_shares(plan: AnnualPlan, lines: list[BudgetLine]) -> dict:
    """Budget lines with their share of the plan's budget and their use (spent, remaining,
    when annotated by with_spend), totals by category."""
    order = list(BudgetCategory.values)
    lines = sorted(lines, key=lambda line: (order.index(line.category), line.pk))
    allocated = sum((line.planned_amount for line in lines), Decimal(0))
    total = plan.budget if plan.budget else allocated
    for line in lines:
        line.share = (line.planned_amount / total * 100) if total else None
        budget_use(line)
    by_category = defaultdict(Decimal)
    for line in lines:
        by_category[line.category] += line.planned_amount
    categories = [
        {"category": category, "amount": amount, "share": (amount / total * 100) if total else None}
        for category, amount in by_category.items()
    ]
    spent = _decimal_or_none(getattr(plan, "recorded_cost", None))
    return {
        "lines": lines,
        "allocated": allocated,
        "total": total,
        "unallocated": (total - allocated) if plan.budget else None,
        "categories": categories,
        # All the plan's recorded cost, matched to a line or not (lines may overlap: a channel
        # and one of its sub-channels), against the whole budget.
        "spent": spent,
        "remaining": (total - spent) if spent is not None and total else None,
        "spent_share": (spent / total * 100) if spent is not None and total else None,
        "unmatched_lines": sum(1 for line in lines if line.spent is None),
        "off_lines": _decimal_or_none(getattr(plan, "cost_on_no_line", None)),
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
    lines = with_cached_spend(plan, list(plan.budget_lines.select_related("channel")))
    targets = with_quarters(
        with_attainment(with_cached_actuals(target_rows().filter(plan=plan), quarterly=True), today=today), today=today
    )
    campaigns = list(plan.campaigns.select_related("owner"))
    campaign_targets = with_attainment(
        with_cached_actuals(target_rows().filter(campaign__plan=plan).order_by("campaign_id", "sort_order", "pk")),
        today=today,
    )
    items = defaultdict(list)
    for item in PlanItem.objects.filter(plan=plan):
        items[item.section].append(item)
    return {
        "plan": plan,
        "targets": targets,
        "goals": goal_tree(targets),
        "budget": budget_lines_with_shares(plan, lines),
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
    metrics = Metric.objects.select_related("numerator", "denominator")
    return metrics if include_inactive else metrics.filter(is_active=True)


def channel_list() -> QuerySet[Channel]:
    return Channel.objects.select_related("parent")


def metric_value_list() -> QuerySet[MetricValue]:
    """Metric values for the API: the metric's and channel's codes joined; campaign, plan and
    recorder are ids, so their rows are not (joined, their wide rows made the sort of a list
    of a million values four times slower, bench/export_bench.py)."""
    return MetricValue.objects.select_related("metric", "channel").only(
        *(field.name for field in MetricValue._meta.concrete_fields), "metric__code", "channel__code"
    )


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
        with_cached_actuals(
            target_rows().filter(campaign__in=[c.pk for c in campaigns]).order_by("campaign_id", "sort_order", "pk")
        ),
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
    """Budget lines with their channel, `spent` (with_spend) and `budget_total`: the plan's
    budget, or the sum of its lines when it has none (as budget_lines_with_shares), in the
    same query."""
    allocated = (
        BudgetLine.objects.filter(plan_id=OuterRef("plan_id"))
        .order_by()
        .values("plan_id")
        .annotate(total=Sum("planned_amount"))
        .values("total")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    return with_spend(BudgetLine.objects.select_related("channel")).annotate(
        budget_total=Case(
            When(plan__budget__gt=0, then=F("plan__budget")),
            default=Subquery(allocated, output_field=money),
            output_field=money,
        )
    )
