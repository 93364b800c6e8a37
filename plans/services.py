"""Writes for plans: every change to plans, targets, budgets, campaigns and metric values
goes through here, validated, with history kept by django-simple-history."""

import io
import queue
import threading
import uuid
from collections.abc import Iterable
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connection, connections, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import is_administrator
from core.dates import date_problem
from core.formatting import format_number

from . import gates
from .attainment import quarter_bounds
from .models import (
    METRIC_VALUE_KEY,
    SECTION_CATEGORIES,
    Aggregation,
    AnnualPlan,
    BudgetLine,
    Campaign,
    CampaignStatus,
    Channel,
    Direction,
    Metric,
    MetricValue,
    Period,
    PlanItem,
    PlanStatus,
    QuarterFocus,
    Target,
    ValueSource,
    metric_value_key,
)

PLAN_ORDER = [PlanStatus.DRAFT, PlanStatus.APPROVED, PlanStatus.ACTIVE, PlanStatus.CLOSED]
CAMPAIGN_ORDER = [CampaignStatus.PLANNING, CampaignStatus.EXECUTING, CampaignStatus.REVIEWING, CampaignStatus.ARCHIVED]


def _save(instance, *, exclude: list[str] | None = None):
    _check_ranges(instance)
    instance.full_clean(exclude=exclude)
    instance.save()
    return instance


def _check_ranges(instance) -> None:
    """Name the field for the rules the database enforces with check constraints, whose own
    message ("Constraint … is violated") tells a person nothing."""
    if isinstance(instance, AnnualPlan) and instance.year is not None and not 2000 <= instance.year <= 2100:
        raise ValidationError({"year": _("The year must be between 2000 and 2100.")})
    if isinstance(instance, AnnualPlan) and instance.adjustment_threshold is not None:
        if not 0 <= instance.adjustment_threshold <= 100:
            raise ValidationError({"adjustment_threshold": _("The threshold is a percentage between 0 and 100.")})
    if isinstance(instance, Campaign):
        if instance.start_date and instance.end_date and instance.end_date < instance.start_date:
            raise ValidationError({"end_date": _("The campaign ends before it starts.")})
        if instance.budget is not None and instance.budget < 0:
            raise ValidationError({"budget": _("The budget cannot be negative.")})
    if isinstance(instance, BudgetLine) and instance.planned_amount is not None and instance.planned_amount < 0:
        raise ValidationError({"planned_amount": _("The planned amount cannot be negative.")})


@dataclass(frozen=True)
class FrozenOverride:
    """Leave to change goals or budget that are frozen (an approved plan's, an executing
    campaign's): given by an approved adjustment being applied, or by an administrator's
    override. Its reason is kept in the history of what it changes."""

    by: User | None
    reason: str
    adjustment: bool = False  # an approved adjustment: the first change keeps the original figure

    @classmethod
    def administrator(cls, user) -> "FrozenOverride | None":
        """An administrator's override, recorded as such; None for anyone else."""
        if not is_administrator(user):
            return None
        return cls(by=user, reason="Administrator override")


def frozen_goals_message(*, plan: AnnualPlan | None = None, campaign: Campaign | None = None) -> str:
    if campaign is not None:
        return _(
            "%(campaign)s is %(status)s: its goals, sub-goals and budget are no longer edited directly. "
            "Request an adjustment instead."
        ) % {"campaign": campaign, "status": campaign.get_status_display()}
    return _(
        "%(plan)s is %(status)s: its targets and budget are no longer edited directly. Request an adjustment instead."
    ) % {"plan": plan, "status": plan.get_status_display()}


def ensure_goals_editable(
    *,
    plan: AnnualPlan | None = None,
    campaign: Campaign | None = None,
    override: FrozenOverride | None,
    instance=None,
    field: str = "target_value",
) -> None:
    """Refuse a direct change to the goals or budget of an approved or active plan, or of a
    campaign past planning, pointing to an adjustment request; with an override, record it
    in the history of `instance` instead. Pages and the API reach every such change through
    a service that calls this."""
    frozen = campaign.goals_are_frozen if campaign is not None else plan is not None and plan.goals_are_frozen
    if not frozen:
        return
    if override is None:
        raise ValidationError({field: frozen_goals_message(plan=plan, campaign=campaign)})
    if instance is not None:
        instance._history_user = override.by
        instance._change_reason = override.reason


def ensure_plan_open(plan: AnnualPlan) -> None:
    """Refuse a change to a closed (frozen) plan or to anything in it, saying why. Pages and
    the API alike reach every such change through a service that calls this."""
    if plan is not None and plan.is_frozen:
        raise ValidationError({"plan": plan.frozen_message()})


# Reference data: channels and the metric dictionary ---------------------------------------


def _save_reference(instance, *, by: User | None):
    instance._history_user = by  # the author even when no request is there to tell simple_history
    return _save(instance)


def _delete_reference(instance, *, by: User | None) -> None:
    instance._history_user = by
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError as exc:
        raise ValidationError(_("It is in use by targets, budget lines or values, so it cannot be deleted.")) from exc


@transaction.atomic
def channel_create(
    *,
    code: str,
    name_en: str,
    name_zh: str,
    kind: str,
    by: User | None,
    parent: Channel | None = None,
    sort_order: int = 0,
) -> Channel:
    """Add a channel, online or offline, under a parent channel if it has one."""
    channel = Channel(code=code, name_en=name_en, name_zh=name_zh, kind=kind, parent=parent, sort_order=sort_order)
    return _save_reference(channel, by=by)


@transaction.atomic
def channel_update(
    *,
    channel: Channel,
    by: User | None,
    code: str,
    name_en: str,
    name_zh: str,
    kind: str,
    parent: Channel | None,
    sort_order: int,
) -> Channel:
    """Change a channel's code, names, kind, parent or order."""
    channel.code, channel.name_en, channel.name_zh, channel.kind = code, name_en, name_zh, kind
    channel.parent, channel.sort_order = parent, sort_order
    return _save_reference(channel, by=by)


@transaction.atomic
def channel_delete(*, channel: Channel, by: User | None) -> None:
    """Remove a channel nothing refers to; one in use is refused, naming why."""
    _delete_reference(channel, by=by)


@dataclass
class MetricInput:
    """A metric of the dictionary as a person defines it."""

    code: str
    name_en: str
    name_zh: str
    unit: str
    aggregation: str
    definition_en: str = ""
    definition_zh: str = ""
    data_source_en: str = ""
    data_source_zh: str = ""
    period: str = Period.DAILY
    direction: str = Direction.HIGHER
    allow_negative: bool = False
    is_cost: bool = False
    is_active: bool = True
    numerator: Metric | None = None
    denominator: Metric | None = None


def _check_ratio(metric: Metric) -> None:
    """A ratio of two metrics (a derived metric) names two summed metrics other than itself;
    any other metric names none."""
    if metric.aggregation != Aggregation.RATIO:
        if metric.numerator_id or metric.denominator_id:
            raise ValidationError({"aggregation": _("Only a ratio of two metrics has a numerator and a denominator.")})
        return
    for field in ("numerator", "denominator"):
        component = getattr(metric, field)
        if component is None:
            raise ValidationError({field: _("A ratio of two metrics needs its %(field)s.") % {"field": field}})
        if component.pk and component.pk == metric.pk:
            raise ValidationError({field: _("A ratio cannot be computed from itself.")})
        if component.aggregation != Aggregation.SUM:
            raise ValidationError(
                {field: _("%(metric)s is not summed: a ratio divides two summed metrics.") % {"metric": component.name}}
            )


@transaction.atomic
def metric_create(*, data: MetricInput, by: User | None) -> Metric:
    """Add a metric to the dictionary."""
    metric = Metric(**vars(data))
    _check_ratio(metric)
    return _save_reference(metric, by=by)


@transaction.atomic
def metric_update(*, metric: Metric, data: MetricInput, by: User | None) -> Metric:
    """Change a metric's definition (deactivate it rather than delete it once it is in use)."""
    for field, value in vars(data).items():
        setattr(metric, field, value)
    _check_ratio(metric)
    return _save_reference(metric, by=by)


@transaction.atomic
def metric_delete(*, metric: Metric, by: User | None) -> None:
    """Remove a metric nothing refers to; one in use is refused, naming why."""
    _delete_reference(metric, by=by)


# Plans ------------------------------------------------------------------------------------


def plan_create(
    *,
    year: int,
    title: str,
    owner: User,
    summary: str = "",
    budget: Decimal | None = None,
    adjustment_threshold: Decimal | None = None,
    ranking_output_metric: Metric | None = None,
    ranking_cost_metric: Metric | None = None,
) -> AnnualPlan:
    """Create an annual plan in draft (a minor adjustment is one of at most 5% unless told)."""
    plan = AnnualPlan(
        year=year,
        title=title,
        owner=owner,
        summary=summary,
        budget=budget,
        ranking_output_metric=ranking_output_metric,
        ranking_cost_metric=ranking_cost_metric,
    )
    if adjustment_threshold is not None:
        plan.adjustment_threshold = adjustment_threshold
    return _save(plan)


def plan_update(*, plan: AnnualPlan, override: FrozenOverride | None = None, **fields) -> AnnualPlan:
    """Change a plan's title, year, owner, summary or total budget (an approved plan's budget
    only through an adjustment, or an administrator's override)."""
    ensure_plan_open(plan)
    stored = AnnualPlan.objects.filter(pk=plan.pk).values_list("budget", flat=True).first() if plan.pk else None
    for name, value in fields.items():
        setattr(plan, name, value)
    if plan.pk and plan.budget != stored:
        ensure_goals_editable(plan=plan, override=override, instance=plan, field="budget")
        if override is not None and override.adjustment and plan.original_budget is None:
            plan.original_budget = stored
    return _save(plan)


@transaction.atomic
def plan_set_status(*, plan: AnnualPlan, status: str, by: User, force: bool = False) -> AnnualPlan:
    """Move a plan along draft → approved → active → closed (back to draft only from approved).

    Administrators may `force` any move. Only one plan per year may be active.
    """
    current, wanted = PLAN_ORDER.index(plan.status), PLAN_ORDER.index(status)
    allowed = wanted == current + 1 or (plan.status == PlanStatus.APPROVED and status == PlanStatus.DRAFT)
    if not allowed and not force:
        raise ValidationError(
            {
                "status": _("A plan moves from %(current)s to the next status only, not to %(wanted)s.")
                % {"current": plan.get_status_display(), "wanted": PlanStatus(status).label}
            }
        )
    if status == PlanStatus.ACTIVE and AnnualPlan.objects.active().filter(year=plan.year).exclude(pk=plan.pk).exists():
        raise ValidationError({"status": _("Another plan is already active for %(year)s.") % {"year": plan.year}})
    plan.status = status
    plan._history_user = by  # the author even when no request is there to tell simple_history
    if status == PlanStatus.APPROVED:
        plan.approved_by, plan.approved_at = by, timezone.now()
    elif status == PlanStatus.DRAFT:
        plan.approved_by, plan.approved_at = None, None
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # a concurrent activation won the race
        raise ValidationError(
            {"status": _("Another plan is already active for %(year)s.") % {"year": plan.year}}
        ) from exc
    return plan


def plan_item_save(
    *,
    plan: AnnualPlan,
    section: str,
    category: str,
    title: str | None = None,
    body: str | None = None,
    title_zh: str | None = None,
    title_en: str | None = None,
    body_zh: str | None = None,
    body_en: str | None = None,
    sort_order: int = 0,
    item: PlanItem | None = None,
) -> PlanItem:
    """Add or change a review item, challenge, strategy or safeguard of a plan.

    Its title and details are kept in Chinese and in English (`title_zh`, `title_en`, …);
    a single `title` or `body` goes to the language of its script. None leaves a text as it is."""
    ensure_plan_open(plan)
    if category not in SECTION_CATEGORIES.get(section, []):
        raise ValidationError({"category": _("This category does not belong to the chosen section.")})
    item = item or PlanItem(plan=plan)
    item.section, item.category, item.sort_order = section, category, sort_order
    if title is not None:
        item.title = title
    if body is not None:
        item.body = body
    texts = {"title_zh": title_zh, "title_en": title_en, "body_zh": body_zh, "body_en": body_en}
    for name, text in texts.items():
        if text is not None:
            setattr(item, name, text.strip() if name.startswith("title") else text)
    if not (item.title_zh.strip() or item.title_en.strip()):
        raise ValidationError({"title_zh": _("Give the item a title, in Chinese or in English.")})
    return _save(item)


def plan_item_delete(*, item: PlanItem) -> None:
    """Remove a narrative item (its history stays)."""
    ensure_plan_open(item.plan)
    item.delete()


def quarter_focus_set(
    *,
    plan: AnnualPlan,
    quarter: int,
    theme: str | None = None,
    key_actions: str | None = None,
    theme_zh: str | None = None,
    theme_en: str | None = None,
    key_actions_zh: str | None = None,
    key_actions_en: str | None = None,
) -> QuarterFocus:
    """Set the theme and key actions of one quarter of a plan, kept in Chinese and in English
    (`theme_zh`, `theme_en`, …); a single `theme` or `key_actions` goes to the language of its
    script. None leaves a text as it is."""
    ensure_plan_open(plan)
    focus = QuarterFocus.objects.filter(plan=plan, quarter=quarter).first() or QuarterFocus(plan=plan, quarter=quarter)
    if theme is not None:
        focus.theme = theme.strip()
    if key_actions is not None:
        focus.key_actions = key_actions
    texts = {
        "theme_zh": theme_zh,
        "theme_en": theme_en,
        "key_actions_zh": key_actions_zh,
        "key_actions_en": key_actions_en,
    }
    for name, text in texts.items():
        if text is not None:
            setattr(focus, name, text.strip() if name.startswith("theme") else text)
    if not (focus.theme_zh or focus.theme_en):
        raise ValidationError({"theme_zh": _("Give the quarter a theme, in Chinese or in English.")})
    return _save(focus)


# Budget -----------------------------------------------------------------------------------


def budget_line_save(
    *,
    plan: AnnualPlan,
    category: str,
    planned_amount: Decimal,
    channel: Channel | None = None,
    description: str = "",
    line: BudgetLine | None = None,
    override: FrozenOverride | None = None,
) -> BudgetLine:
    """Add or change a budget line of a plan (of an approved plan only through an adjustment,
    or an administrator's override)."""
    ensure_plan_open(plan)
    line = line or BudgetLine(plan=plan)
    ensure_goals_editable(plan=plan, override=override, instance=line, field="planned_amount")
    if override is not None and override.adjustment and line.pk and line.original_amount is None:
        stored = BudgetLine.objects.filter(pk=line.pk).values_list("planned_amount", flat=True).first()
        if stored != planned_amount:
            line.original_amount = stored
    line.category, line.planned_amount, line.channel, line.description = category, planned_amount, channel, description
    return _save(line)


def budget_line_delete(*, line: BudgetLine, override: FrozenOverride | None = None) -> None:
    """Remove a budget line of a plan (of an approved plan only with an administrator's override)."""
    ensure_plan_open(line.plan)
    ensure_goals_editable(plan=line.plan, override=override, instance=line, field="planned_amount")
    line.delete()


# Campaigns --------------------------------------------------------------------------------


def campaign_create(
    *,
    plan: AnnualPlan,
    name: str,
    type: str,
    owner: User,
    start_date: date,
    end_date: date,
    budget: Decimal = Decimal(0),
    description: str = "",
    by: User | None = None,
) -> Campaign:
    """Create a campaign of a plan, in planning. The pages and the API create campaigns through
    tasks.services.campaign_create, which also gives them the template's stages."""
    ensure_plan_open(plan)
    campaign = Campaign(
        plan=plan,
        name=name,
        type=type,
        owner=owner,
        start_date=start_date,
        end_date=end_date,
        budget=budget,
        description=description,
    )
    campaign._history_user = by
    return _save(campaign)


def campaign_update(*, campaign: Campaign, override: FrozenOverride | None = None, **fields) -> Campaign:
    """Change a campaign's fields (not its status: see campaign_set_status). The budget of a
    campaign past planning changes only through an adjustment, or an administrator's override."""
    ensure_plan_open(campaign.plan)
    fields.pop("status", None)
    # Read from the database: a model form has already written its input on the instance.
    stored = Campaign.objects.filter(pk=campaign.pk).values_list("budget", flat=True).first() if campaign.pk else None
    for name, value in fields.items():
        setattr(campaign, name, value)
    ensure_plan_open(campaign.plan)  # nor does it move into a closed plan
    if stored is not None and campaign.budget != stored:
        ensure_goals_editable(campaign=campaign, override=override, instance=campaign, field="budget")
        if override is not None and override.adjustment and campaign.original_budget is None:
            campaign.original_budget = stored
    elif override is not None:
        campaign._history_user, campaign._change_reason = override.by, override.reason
    return _save(campaign)


@transaction.atomic
def campaign_set_status(*, campaign: Campaign, status: str, by: User, force: bool = False) -> Campaign:
    """Move a campaign forward: planning → executing → reviewing → archived. Only an
    administrator (`force`) moves it back or skips a step; nobody skips a gate (plans.gates:
    goals, sub-goals, stages and tasks to start; a final review to archive). `by` is kept in
    its history."""
    current, wanted = CAMPAIGN_ORDER.index(campaign.status), CAMPAIGN_ORDER.index(status)
    if wanted != current + 1 and not force:
        raise ValidationError(
            {
                "status": _("A campaign moves forward one step at a time, from %(current)s to %(next)s.")
                % {
                    "current": campaign.get_status_display(),
                    "next": CAMPAIGN_ORDER[min(current + 1, len(CAMPAIGN_ORDER) - 1)].label,
                }
            }
        )
    if wanted > current:
        problems = gates.missing(campaign, status)
        if problems:
            raise ValidationError(
                {
                    "status": _("%(campaign)s cannot move to %(status)s yet: %(missing)s")
                    % {"campaign": campaign.name, "status": CampaignStatus(status).label, "missing": " ".join(problems)}
                }
            )
    campaign.status = status
    campaign._history_user = by  # the author even when no request is there to tell simple_history
    campaign.save()
    return campaign


# Targets ----------------------------------------------------------------------------------


@dataclass
class TargetInput:
    metric: Metric
    category: str
    target_value: Decimal
    name: str = ""
    channel: Channel | None = None
    baseline: Decimal | None = None
    period_start: date | None = None
    period_end: date | None = None
    q1: Decimal | None = None
    q2: Decimal | None = None
    q3: Decimal | None = None
    q4: Decimal | None = None
    sort_order: int | None = None  # None: a new target goes last, a changed one keeps its place


def _default_period(*, plan: AnnualPlan | None, campaign: Campaign | None) -> tuple[date, date]:
    if campaign is not None:
        return campaign.start_date, campaign.end_date
    return date(plan.year, 1, 1), date(plan.year, 12, 31)


def _check_period_within_campaign(target: Target) -> None:
    """A campaign's goal is measured while the campaign runs, not before it starts or after it ends."""
    campaign = target.campaign
    if campaign is None:
        return
    message = _("A goal's period lies within its campaign's dates, %(start)s to %(end)s.") % {
        "start": campaign.start_date.isoformat(),
        "end": campaign.end_date.isoformat(),
    }
    if target.period_start < campaign.start_date:
        raise ValidationError({"period_start": message})
    if target.period_end > campaign.end_date:
        raise ValidationError({"period_end": message})


def _check_quarterly_split(target: Target) -> None:
    if not target.has_quarterly_split:
        return
    if target.metric.aggregation != Aggregation.SUM:
        raise ValidationError(
            {
                "q1": _("A quarterly split only adds up for metrics that are summed; %(metric)s is not.")
                % {"metric": target.metric.name}
            }
        )
    start, end = target.period_start, target.period_end
    if start.year != end.year:
        raise ValidationError(
            {"q1": _("A quarterly split (Q1–Q4) needs a period within one calendar year: split the target by year.")}
        )
    for quarter, value in enumerate(target.quarters, start=1):
        first, last = quarter_bounds(start.year, quarter)
        if value and (last < start or first > end):
            raise ValidationError(
                {
                    f"q{quarter}": _(
                        "Q%(quarter)s lies outside the period (%(start)s – %(end)s): leave its share empty or 0."
                    )
                    % {"quarter": quarter, "start": start.isoformat(), "end": end.isoformat()}
                }
            )
    split = sum((value or Decimal(0) for value in target.quarters), Decimal(0))
    difference = split - target.target_value
    if difference:
        message = (
            _("The quarterly split (Q1–Q4) adds up to %(split)s, %(diff)s more than the target of %(target)s.")
            if difference > 0
            else _("The quarterly split (Q1–Q4) adds up to %(split)s, %(diff)s less than the target of %(target)s.")
        )
        raise ValidationError(
            {
                "q1": message
                % {
                    "split": format_number(split, places=4),
                    "diff": format_number(abs(difference), places=4),
                    "target": format_number(target.target_value, places=4),
                }
            }
        )


def _check_subgoals(target: Target) -> None:
    """A sub-goal shares its parent's metric, and sub-goals of a summed metric may not add up
    to more than their parent."""
    parent = target.parent
    if parent is not None:
        if target.pk and parent.pk == target.pk:
            raise ValidationError({"parent": _("A goal cannot be its own sub-goal.")})
        if parent.parent_id is not None:
            raise ValidationError({"parent": _("Sub-goals go one level deep: choose a top-level goal as the parent.")})
        if target.pk and target.children.exists():
            raise ValidationError(
                {"parent": _("Sub-goals go one level deep: a goal that has sub-goals cannot become one.")}
            )
        if parent.metric_id != target.metric_id:
            raise ValidationError(
                {
                    "metric": _("A sub-goal measures the same metric as its parent goal (%(metric)s).")
                    % {"metric": parent.metric.name}
                }
            )
        siblings = parent.children.exclude(pk=target.pk)
        total = sum((child.target_value for child in siblings), Decimal(0)) + target.target_value
        if target.metric.aggregation == Aggregation.SUM and total > parent.target_value:
            raise ValidationError(
                {
                    "target_value": _(
                        "Sub-goals would add up to %(total)s, %(over)s more than the parent goal of %(parent)s."
                    )
                    % {
                        "total": format_number(total, places=4),
                        "over": format_number(total - parent.target_value, places=4),
                        "parent": format_number(parent.target_value, places=4),
                    }
                }
            )
    elif target.pk:
        children = list(target.children.all())
        if any(child.metric_id != target.metric_id for child in children):
            raise ValidationError(
                {"metric": _("This goal has sub-goals on its metric; remove them before changing it.")}
            )
        total = sum((child.target_value for child in children), Decimal(0))
        if children and target.metric.aggregation == Aggregation.SUM and total > target.target_value:
            raise ValidationError(
                {
                    "target_value": _("Its sub-goals add up to %(total)s, more than %(value)s.")
                    % {"total": format_number(total, places=4), "value": format_number(target.target_value, places=4)}
                }
            )


@transaction.atomic
def target_save(
    *,
    data: TargetInput,
    plan: AnnualPlan | None = None,
    campaign: Campaign | None = None,
    parent: Target | None = None,
    target: Target | None = None,
    override: FrozenOverride | None = None,
) -> Target:
    """Add or change a goal of a plan or a campaign, or a sub-goal of a goal.

    The period defaults to the plan's year or the campaign's dates; the quarterly split must
    add up to the target; sub-goals may not exceed their parent.
    """
    if parent is not None:
        plan, campaign = parent.plan, parent.campaign
    elif target is not None:
        plan, campaign, parent = target.plan, target.campaign, target.parent
    if (plan is None) == (campaign is None):
        raise ValidationError(_("A target belongs to either a plan or a campaign."))
    ensure_plan_open(plan or campaign.plan)
    target = target or Target()
    ensure_goals_editable(plan=plan, campaign=campaign, override=override, instance=target)
    stored = target.target_value if target.pk else None
    if target.pk and override is not None and override.adjustment:
        stored = Target.objects.filter(pk=target.pk).values_list("target_value", flat=True).first()
    target.plan, target.campaign, target.parent = plan, campaign, parent
    for field, value in vars(data).items():
        if field != "sort_order" or value is not None:
            setattr(target, field, value)
    if data.sort_order is None and target.pk is None:
        siblings = Target.objects.filter(plan=plan, campaign=campaign, parent=parent)
        last = siblings.aggregate(last=Max("sort_order"))["last"]
        target.sort_order = 0 if last is None else last + 1
    default_start, default_end = _default_period(plan=plan, campaign=campaign)
    target.period_start = target.period_start or default_start
    target.period_end = target.period_end or default_end
    if target.period_end < target.period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    _check_period_within_campaign(target)
    problem = target.metric.value_problem(target.target_value)
    if problem:
        raise ValidationError({"target_value": problem})
    _check_quarterly_split(target)
    _check_subgoals(target)
    if override is not None and override.adjustment and target.original_value is None and stored is not None:
        if stored != target.target_value:
            target.original_value = stored
    return _save(target)


def target_delete(*, target: Target, override: FrozenOverride | None = None) -> None:
    """Remove a goal and its sub-goals (a frozen one only with an administrator's override)."""
    ensure_plan_open(target.plan or target.campaign.plan)
    ensure_goals_editable(plan=target.plan, campaign=target.campaign, override=override, instance=target)
    target.delete()


# Metric values ----------------------------------------------------------------------------


@dataclass
class ValueRow:
    metric: Metric
    date: date
    value: Decimal
    plan: AnnualPlan
    campaign: Campaign | None = None
    channel: Channel | None = None


@dataclass
class RecordSummary:
    created: int
    updated: int


def metric_value_problems(row: ValueRow) -> dict[str, str]:
    """What is wrong with one row, by field; empty when it can be recorded."""
    problems = {}
    date_outside = date_problem(row.date)
    if date_outside:
        problems["date"] = date_outside
    value_problem = row.metric.recorded_value_problem(row.value)
    if value_problem:
        problems["value"] = value_problem
    if row.campaign is not None and row.campaign.plan_id != row.plan.pk:
        problems["campaign"] = _("The campaign belongs to another plan.")
    if not date_outside and row.date > timezone.localdate():
        problems["date"] = _("%(date)s is in the future: record values once they are measured.") % {
            "date": row.date.isoformat()
        }
    return problems


@transaction.atomic
def metric_values_record(
    *, rows: list[ValueRow], source: str = ValueSource.MANUAL, recorded_by: User | None = None
) -> RecordSummary:
    """Record metric values all or nothing: a value already recorded for the same metric,
    campaign (or plan), channel and day is updated, never duplicated.

    Raises ValidationError listing the problems of every bad row (row numbers from 1).
    """
    errors = []
    for number, row in enumerate(rows, start=1):
        for field, message in metric_value_problems(row).items():
            errors.append(
                ValidationError(
                    _("Row %(row)s, %(field)s: %(message)s") % {"row": number, "field": field, "message": message}
                )
            )
    if errors:
        raise ValidationError(errors)
    values = {}
    for row in rows:  # a key given twice: the last one wins, as in a spreadsheet
        key = metric_value_key(
            metric_id=row.metric.pk,
            plan_id=row.plan.pk,
            campaign_id=row.campaign.pk if row.campaign else None,
            channel_id=row.channel.pk if row.channel else None,
            date=row.date,
        )
        values[key] = row.value
    if _use_copy():  # take turns with the imports of the same campaigns (campaign_values_writer)
        _lock_scopes({(key[0], key[4]) for key in values}, db=connection)
    summary = _store(values, source=source, recorded_by=recorded_by)
    # Last, so that the campaigns' and plans' rows stay locked only until the commit.
    metric_values_changed(campaign_ids={key[0] for key in values if key[0]}, plan_ids={key[4] for key in values})
    return summary


class CampaignValuesWriter:
    """Writes many values of one campaign (a file import) chunk by chunk as the caller checks
    them, all in the caller's transaction; see campaign_values_writer."""

    def __init__(self, *, campaign: Campaign, source: str, recorded_by: User | None, db):
        self.campaign, self.source, self.recorded_by, self.db = campaign, source, recorded_by, db
        self.metrics = Metric.objects.using(db.alias).in_bulk()
        self.today = timezone.localdate()
        self.now = timezone.now()  # every value of the import recorded at the same time
        self.created = self.updated = 0
        self._seen: set[tuple] = set()
        self._repeated = 0
        self._error: BaseException | None = None
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None

    def write(self, values: dict[tuple, Decimal]) -> None:
        """Check what does not depend on the value (the campaign, the dates, the metrics) and
        write `values` (by key, metric_value_key), or hand them to the writing thread."""
        if self._error is not None:
            raise self._error
        if not values:
            return
        self._check(values)
        if self._queue is None:
            self._write(values)
        else:
            # The COPY text is made by the writing thread: made here, beside the database's
            # work, the first import measured no faster on 2 shared cores (bench/README.md).
            self._queue.put(values)

    def _check(self, values: dict[tuple, Decimal]) -> None:
        days, metric_ids = set(), set()
        for campaign_id, metric_id, day, _channel_id, plan_id in values:
            if campaign_id != self.campaign.pk or plan_id != self.campaign.plan_id:
                raise ValidationError(_("A value belongs to another campaign."))
            metric_ids.add(metric_id)
            days.add(day)
        for day in sorted(days):
            problem = date_problem(day)
            if problem is None and day > self.today:
                problem = _("%(date)s is in the future: record values once they are measured.") % {
                    "date": day.isoformat()
                }
            if problem:
                raise ValidationError(problem)
        for metric_id in metric_ids:
            metric = self.metrics.get(metric_id)
            if metric is None or metric.is_derived or not metric.is_active:
                raise ValidationError(
                    _("The metric “%(code)s” cannot be recorded: it is derived or no longer in use.")
                    % {"code": metric.code if metric else metric_id}
                )

    def _write(self, values: dict[tuple, Decimal]) -> None:
        # A key written by an earlier chunk is updated again (the later row wins, as in a
        # spreadsheet) but counted once, as created or updated by its first chunk.
        repeated = len(self._seen.intersection(values))
        self._seen.update(values)
        summary = _store(values, source=self.source, recorded_by=self.recorded_by, db=self.db, now=self.now)
        self.created += summary.created
        self.updated += summary.updated - repeated

    def _run(self) -> None:
        try:
            while (values := self._queue.get()) is not None:
                if self._error is None:
                    self._write(values)
        except BaseException as exc:  # handed to the caller's thread by write() and close()
            self._error = exc
            while self._queue.get() is not None:  # let the caller's put() and close() finish
                pass

    def start_thread(self) -> None:
        self._queue = queue.Queue(maxsize=2)
        self.db.inc_thread_sharing()
        self._thread = threading.Thread(target=self._run, name="metric-values-writer", daemon=True)
        self._thread.start()

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self.db.dec_thread_sharing()
            self._thread = None
        if self._error is not None:
            raise self._error

    @property
    def summary(self) -> RecordSummary:
        return RecordSummary(created=self.created, updated=self.updated)


@contextmanager
def campaign_values_writer(*, campaign: Campaign, source: str, recorded_by: User | None):
    """Record many values of one campaign all or nothing, as metric_values_record does, from
    rows a file import checks one by one (plans.imports: the same rules as
    metric_value_problems, each problem named by its row and column), handed over in chunks
    by key (metric_value_key) with no object per row. What does not depend on the value is
    checked again here, once per distinct date and metric of a chunk: the campaign and its
    plan, the dates (within the window, none in the future), the metrics (typed, in use).

    On PostgreSQL the chunks are written by a thread of their own on the same connection and
    transaction while the caller reads and checks the next ones (the machine's second core),
    their foreign keys checked as each is written rather than all at the commit; nothing
    else may use the connection until the block ends. Imports of a campaign take turns (an
    advisory lock), so two of them never lock the same keys in opposite orders. Raise in the
    block (or let a ValidationError out of write()) to write nothing."""
    db = connections[DEFAULT_DB_ALIAS]
    with transaction.atomic():
        writer = CampaignValuesWriter(campaign=campaign, source=source, recorded_by=recorded_by, db=db)
        threaded = _use_copy()
        if threaded:
            _lock_scopes({(campaign.pk, campaign.plan_id)}, db=db)
            with db.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            writer.start_thread()
        try:
            yield writer
        finally:
            try:
                writer.close()
            finally:
                if threaded:
                    # Back to Django's default for the rest of the transaction. After a database
                    # error the statement fails too, and the rollback undoes the SET instead.
                    with suppress(DatabaseError), db.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # Reached only when the block wrote everything (the writing thread has finished): the
        # pages' cached figures of this campaign and its plan are stale from the commit on.
        metric_values_changed(campaign_ids={campaign.pk}, plan_ids={campaign.plan_id})


def _lock_scopes(scopes: set[tuple], *, db) -> None:
    """PostgreSQL: wait for the other writers of these campaigns (or plans, for plan-level
    values), in one order, until the transaction ends."""
    with db.cursor() as cursor:
        for campaign_id, plan_id in sorted(scopes, key=lambda scope: (scope[0] is None, scope[0] or 0, scope[1])):
            space, number = (
                (VALUE_LOCK_CAMPAIGN, campaign_id) if campaign_id is not None else (VALUE_LOCK_PLAN, plan_id)
            )
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [space, number])


# Advisory lock spaces (the first key of pg_advisory_xact_lock(int, int)) of value writers.
VALUE_LOCK_CAMPAIGN = 0x6D760001
VALUE_LOCK_PLAN = 0x6D760002


def _store(values: dict[tuple, Decimal], *, source: str, recorded_by: User | None, db=None, now=None) -> RecordSummary:
    """Upsert checked values, by key (metric_value_key) on the unique constraint of the key."""
    if not values:
        return RecordSummary(created=0, updated=0)
    now = now or timezone.now()
    if _use_copy():
        text = _copy_text(values, source=source, recorded_by=recorded_by, now=now)
        return _upsert_with_copy(values, text, db=db or connection)
    return _upsert_in_batches(values, source=source, recorded_by=recorded_by, now=now)


def metric_values_changed(*, campaign_ids: Iterable[int], plan_ids: Iterable[int]) -> None:
    """Renew the values version of campaigns and plans whose metric values were written or
    deleted, so that no page reads their targets' actuals from the cache any more (plans.actuals).

    Whatever writes metric values calls it in the same transaction (metric_values_record, the
    admin); the plans of the values, not only their campaigns', since a plan's targets read
    every value recorded in it. Campaigns before plans, as every writer does."""
    version = uuid.uuid4()
    if campaign_ids := set(campaign_ids):
        Campaign.objects.filter(pk__in=campaign_ids).update(values_version=version)
    if plan_ids := set(plan_ids):
        AnnualPlan.objects.filter(pk__in=plan_ids).update(values_version=version)


def _use_copy() -> bool:
    """The COPY path needs PostgreSQL; tests switch it off to prove both paths agree."""
    return connection.vendor == "postgresql"


def _key_constraint():
    return next(c for c in MetricValue._meta.constraints if c.name == "one_metric_value_per_key")


def _columns(names, db) -> list[str]:
    meta = MetricValue._meta
    return [db.ops.quote_name(meta.get_field(name).column) for name in names]


# The key's columns, then what the upsert writes.
_WRITTEN = ("value", "source", "recorded_by", "recorded_at")


def _upsert_sql(rows_sql: str, db) -> str:
    """INSERT … ON CONFLICT on the key's constraint, updating the written columns; `rows_sql`
    gives the key's columns and the written ones, in that order."""
    table = db.ops.quote_name(MetricValue._meta.db_table)
    columns = ", ".join(_columns([*METRIC_VALUE_KEY, *_WRITTEN], db))
    updated = ", ".join(f"{column} = EXCLUDED.{column}" for column in _columns(_WRITTEN, db))
    target = _key_constraint().conflict_target(MetricValue, db)
    return f"INSERT INTO {table} ({columns}) {rows_sql} ON CONFLICT ({target}) DO UPDATE SET {updated}"


def _upsert_in_batches(values: dict[tuple, Decimal], *, source: str, recorded_by: User | None, now) -> RecordSummary:
    """Any database: INSERT … VALUES … ON CONFLICT in batches. The counts come from the keys
    already stored, read first (in the same transaction, before writing)."""
    existing = set()
    scopes = {}
    for campaign, metric, day, _channel, plan in values:
        scope = scopes.setdefault((campaign, plan), [set(), day, day])
        scope[0].add(metric)
        scope[1], scope[2] = min(scope[1], day), max(scope[2], day)
    for (campaign, plan), (metrics, first, last) in scopes.items():
        stored = MetricValue.objects.filter(
            campaign_id=campaign, plan_id=plan, metric_id__in=metrics, date__range=(first, last)
        ).values_list(*METRIC_VALUE_KEY)
        existing.update(key for key in stored if key in values)
    writer = recorded_by.pk if recorded_by else None
    items = list(values.items())
    width = len(METRIC_VALUE_KEY) + len(_WRITTEN)
    batch = 500
    with connection.cursor() as cursor:
        for start in range(0, len(items), batch):
            chunk = items[start : start + batch]
            placeholders = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(chunk))
            params = [cell for key, value in chunk for cell in (*key, value, source, writer, now)]
            cursor.execute(_upsert_sql(f"VALUES {placeholders}", connection), params)
    return RecordSummary(created=len(values) - len(existing), updated=len(existing))


def _copy_text(values: dict[tuple, Decimal], *, source: str, recorded_by: User | None, now) -> str:
    """The rows of COPY … FROM STDIN (text format) for these values: the key's columns, then
    the written ones (_WRITTEN), no model instance made."""
    null = "\\N"
    tail = f"\t{source}\t{null if recorded_by is None else recorded_by.pk}\t{now.isoformat()}\n"
    days: dict[date, str] = {}  # a few hundred days in 10,000 rows: each written once
    lines = []
    for (campaign, metric, day, channel, plan), value in values.items():
        text = days.get(day)
        if text is None:
            text = days[day] = day.isoformat()
        lines.append(
            "%s\t%s\t%s\t%s\t%s\t%s%s"  # noqa: UP031 - %-formatting: the fastest here
            % (
                null if campaign is None else campaign,
                metric,
                text,
                null if channel is None else channel,
                plan,
                value,
                tail,
            )
        )
    return "".join(lines)


def _upsert_with_copy(values: dict[tuple, Decimal], text: str, *, db) -> RecordSummary:
    """PostgreSQL: store checked values with COPY of their `text` (_copy_text). When no value
    is stored yet where the keys fall, they are copied straight into the table (all
    created); otherwise into a temporary table and upserted from it (see
    _upsert_from_staging)."""
    with db.cursor() as cursor:
        if not _any_stored(values, cursor, db) and _copy_into_table(text, cursor, db):
            return RecordSummary(created=len(values), updated=0)
        return _upsert_from_staging(text, cursor, db)


def _copy(cursor, sql: str, text: str) -> None:
    """COPY … FROM STDIN of rows as text, on Django's cursor; errors as Django's, like a
    statement's."""
    raw = cursor.cursor
    with cursor.db.wrap_database_errors:
        if hasattr(raw, "copy_expert"):
            # psycopg2's 8 KB reads, as the table floor's COPY (bench/import_metric_values.py).
            raw.copy_expert(sql, io.StringIO(text))
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(text)


# The check before a direct COPY (_any_stored), a statement the fault suite knows
# (bench/faults/import_kill.py: the first statement of a write).
_STORED_CHECK = """
    SELECT EXISTS (
        SELECT 1
        FROM unnest(%s::bigint[], %s::bigint[], %s::date[], %s::date[]) AS scope (campaign, metric, first, last)
        JOIN {table} AS stored
          ON stored.{campaign} = scope.campaign AND stored.{metric} = scope.metric
         AND stored.{date} BETWEEN scope.first AND scope.last
    )
"""


def _any_stored(values: dict[tuple, Decimal], cursor, db) -> bool:
    """Whether a value may be stored already for one of these keys: one look at the key's
    index, by campaign and metric between the keys' first and last day (an over-estimate,
    never an under-estimate). Values without a campaign (a plan's own) always say yes.

    Whoever calls this holds the advisory lock of the values' campaigns (_lock_scopes), so no
    other import or record of them adds a value before the transaction ends; a writer that
    takes no lock (the admin) makes the COPY fail on the unique key, and the values are
    upserted instead (_copy_into_table)."""
    scopes: dict[tuple, list] = {}
    for campaign, metric, day, _channel, _plan in values:
        if campaign is None:
            return True
        scope = scopes.get((campaign, metric))
        if scope is None:
            scopes[(campaign, metric)] = [day, day]
        elif day < scope[0]:
            scope[0] = day
        elif day > scope[1]:
            scope[1] = day
    table = db.ops.quote_name(MetricValue._meta.db_table)
    columns = dict(zip(("campaign", "metric", "date"), _columns(("campaign", "metric", "date"), db), strict=True))
    cursor.execute(
        _STORED_CHECK.format(table=table, **columns),
        [
            [campaign for campaign, _metric in scopes],
            [metric for _campaign, metric in scopes],
            [first for first, _last in scopes.values()],
            [last for _first, last in scopes.values()],
        ],
    )
    return cursor.fetchone()[0]


def _copy_into_table(text: str, cursor, db) -> bool:
    """COPY new values straight into the table, the least storing them can cost (the table
    floor of bench/import_metric_values.py). False, with nothing written, when a key is
    stored after all (a writer that takes no advisory lock got there first)."""
    table = db.ops.quote_name(MetricValue._meta.db_table)
    columns = ", ".join(_columns([*METRIC_VALUE_KEY, *_WRITTEN], db))
    cursor.execute("SAVEPOINT metric_value_copy")
    try:
        _copy(cursor, f"COPY {table} ({columns}) FROM STDIN", text)
    except IntegrityError as exc:
        cursor.execute("ROLLBACK TO SAVEPOINT metric_value_copy")
        cursor.execute("RELEASE SAVEPOINT metric_value_copy")
        if _sqlstate(exc.__cause__) == UNIQUE_VIOLATION:
            return False
        raise
    cursor.execute("RELEASE SAVEPOINT metric_value_copy")
    return True


UNIQUE_VIOLATION = "23505"


def _sqlstate(exc: BaseException) -> str | None:
    return getattr(exc, "pgcode", None) or getattr(exc, "sqlstate", None)  # psycopg 2, psycopg 3


def _upsert_from_staging(text: str, cursor, db) -> RecordSummary:
    """COPY the rows into a temporary table and upsert them with one INSERT … SELECT … ON
    CONFLICT — several times faster than batches of INSERTs for a large import
    (bench/import_metric_values.py). The same rule and counts as the portable path: xmax is
    0 on a freshly inserted row version and set on an updated one."""
    key = ", ".join(_columns(METRIC_VALUE_KEY, db))
    # pg_temp: this session's own schema, so no permanent table of that name can be touched.
    scratch = "pg_temp.metric_value_upsert"
    cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {scratch} (campaign_id bigint, metric_id bigint, date date, "
        "channel_id bigint, plan_id bigint, value numeric(18, 4), source text, recorded_by_id bigint, "
        "recorded_at timestamptz) ON COMMIT DROP"
    )
    _copy(cursor, f"COPY {scratch} FROM STDIN", text)
    # In the key's order: the index is filled in order, and two imports of the same keys
    # lock them in the same order (no deadlock).
    upsert = _upsert_sql(
        f"SELECT {key}, value, source, recorded_by_id, recorded_at FROM {scratch} ORDER BY {key}",  # noqa: S608
        db,
    )
    cursor.execute(
        f"""
        WITH upserted AS ({upsert} RETURNING (xmax = 0) AS created)
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM upserted
        """,  # noqa: S608 - names come from the model's meta; values went in through COPY
    )
    created, updated = cursor.fetchone()
    cursor.execute(f"DROP TABLE {scratch}")
    return RecordSummary(created=created, updated=updated)
