"""The monthly review (月度复盘) of a plan: each campaign and each budgeted channel with its
attainment, cost and efficiency in the month, flagged when under its thresholds, and the
manager's decision (stop, continue, boost). A stop or a boost opens a budget adjustment request,
prefilled: money moved away from the line, or towards it.

Efficiency is sales revenue per yuan of marketing cost in the month. A campaign is flagged when
its headline goal is at risk or off track or it has an unresolved alert; a channel when its
efficiency is below the plan's average for the month, or its channel target is at risk or off
track.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from plans.attainment import Status
from plans.models import AnnualPlan, BudgetLine, Campaign, CampaignStatus, Channel, MetricValue
from plans.selectors import goal_tree, target_list, with_attainment, with_spend

from .models import Alert, MonthlyReview, MonthlyReviewLine, ReviewDecision

REVENUE = "sales_revenue"
FLAGGED = {Status.OFF_TRACK, Status.AT_RISK}
# How much a "boost" proposes to add to a line's budget, and a "stop" leaves of it: what was spent.
BOOST_SHARE = Decimal("0.10")


@dataclass
class ReviewLine:
    kind: str  # "campaign" or "channel"
    obj: Campaign | Channel
    budget: Decimal | None
    cost: Decimal
    revenue: Decimal
    attainment: object = None
    flagged: bool = False
    reasons: list[str] = field(default_factory=list)
    decision: MonthlyReviewLine | None = None
    budget_line: BudgetLine | None = None
    spent_to_date: Decimal | None = None

    @property
    def efficiency(self) -> Decimal | None:
        return (self.revenue / self.cost).quantize(Decimal("0.01")) if self.cost else None

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.obj.pk}"


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def review_lines(*, plan: AnnualPlan, month: date, today: date) -> list[ReviewLine]:
    """Every campaign running in the month and every channel with a budget line, with their
    figures and the decisions already recorded, in a fixed number of queries."""
    start, end = month_bounds(month)
    values = MetricValue.objects.filter(plan=plan, date__gte=start, date__lte=end).filter(
        Q(metric__is_cost=True) | Q(metric__code=REVENUE)
    )
    by_campaign, by_channel = (
        defaultdict(lambda: [Decimal(0), Decimal(0)]),
        defaultdict(lambda: [Decimal(0), Decimal(0)]),
    )
    rows = values.values("campaign_id", "channel_id", "channel__parent_id", "metric__is_cost").annotate(
        total=Sum("value")
    )
    for row in rows.order_by():
        slot = 0 if row["metric__is_cost"] else 1
        if row["campaign_id"]:
            by_campaign[row["campaign_id"]][slot] += row["total"]
        for channel_id in (row["channel_id"], row["channel__parent_id"]):
            if channel_id:
                by_channel[channel_id][slot] += row["total"]
    campaigns = list(
        Campaign.objects.filter(plan=plan, start_date__lte=end, end_date__gte=start)
        .exclude(status=CampaignStatus.PLANNING)
        .order_by("start_date", "pk")
    )
    targets = with_attainment(
        target_list().filter(Q(campaign__in=campaigns) | Q(plan=plan, channel__isnull=False)), today=today
    )
    headline, channel_targets = {}, {}
    for goal in goal_tree([t for t in targets if t.campaign_id]):
        headline.setdefault(goal.campaign_id, goal)
    for target in targets:
        if target.plan_id and target.parent_id is None:
            channel_targets.setdefault(target.channel_id, target)
    alerted = set(Alert.objects.unresolved().filter(campaign__in=campaigns).values_list("campaign_id", flat=True))
    review = MonthlyReview.objects.filter(plan=plan, month=start).first()
    decisions = {}
    if review is not None:
        for line in review.lines.select_related("decided_by"):
            decisions[("campaign", line.campaign_id) if line.campaign_id else ("channel", line.channel_id)] = line
    lines = []
    for campaign in campaigns:
        cost, revenue = by_campaign[campaign.pk]
        goal = headline.get(campaign.pk)
        line = ReviewLine("campaign", campaign, campaign.budget, cost, revenue, goal.attainment if goal else None)
        if goal is not None and goal.attainment.status in FLAGGED:
            line.reasons.append(_("headline goal %(status)s") % {"status": goal.attainment.status_label})
        if campaign.pk in alerted:
            line.reasons.append(_("unresolved alerts"))
        line.decision = decisions.get(("campaign", campaign.pk))
        lines.append(line)
    budget_lines = list(
        with_spend(BudgetLine.objects.filter(plan=plan, channel__isnull=False).select_related("channel"))
    )
    channel_rows = []
    for budget_line in budget_lines:
        cost, revenue = by_channel[budget_line.channel_id]
        target = channel_targets.get(budget_line.channel_id)
        line = ReviewLine(
            "channel",
            budget_line.channel,
            budget_line.planned_amount,
            cost,
            revenue,
            target.attainment if target else None,
            budget_line=budget_line,
            spent_to_date=budget_line.spent,
        )
        if target is not None and target.attainment.status in FLAGGED:
            line.reasons.append(_("channel target %(status)s") % {"status": target.attainment.status_label})
        line.decision = decisions.get(("channel", budget_line.channel_id))
        channel_rows.append(line)
    total_cost = sum((line.cost for line in channel_rows), Decimal(0))
    total_revenue = sum((line.revenue for line in channel_rows), Decimal(0))
    average = total_revenue / total_cost if total_cost else None
    for line in channel_rows:
        if average is not None and line.efficiency is not None and line.efficiency < average:
            line.reasons.append(_("efficiency below the plan's average of %(average)s") % {"average": f"{average:.2f}"})
    lines += channel_rows
    for line in lines:
        line.flagged = bool(line.reasons)
    return lines


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def prefilled_request_url(*, plan: AnnualPlan, line: ReviewLine, decision: str, month: date) -> str | None:
    """The budget adjustment request a stop or a boost opens: a campaign's budget, or the
    channel's budget line, moved down to what was spent (stop) or up by a tenth (boost)."""
    if decision not in (ReviewDecision.STOP, ReviewDecision.BOOST):
        return None
    label = ReviewDecision(decision).label
    reason = _("Monthly review %(month)s: %(decision)s %(what)s.") % {
        "month": f"{month:%Y-%m}",
        "decision": label,
        "what": line.obj,
    }
    if line.kind == "campaign":
        current = line.budget or Decimal(0)
        proposed = current * (1 + BOOST_SHARE) if decision == ReviewDecision.BOOST else line.cost
        field_name = f"v-campaign-{line.obj.pk}-budget"
        path = reverse("tracking:campaign_adjustment_request", args=[line.obj.pk, "budget"])
    else:
        current = line.budget_line.planned_amount
        spent = line.spent_to_date or Decimal(0)
        proposed = current * (1 + BOOST_SHARE) if decision == ReviewDecision.BOOST else min(spent, current)
        field_name = f"v-budget_line-{line.budget_line.pk}-planned_amount"
        path = reverse("tracking:plan_adjustment_request", args=[plan.pk, "budget"])
    return f"{path}?{urlencode({field_name: _money(proposed), 'reason': reason})}"


@transaction.atomic
def monthly_review_decide(
    *, plan: AnnualPlan, month: date, by: User, decision: str, note: str = "", campaign=None, channel=None
) -> MonthlyReviewLine:
    """Record (or change) the decision on one campaign or channel in a plan's monthly review."""
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": _("Choose stop, continue or boost.")})
    if (campaign is None) == (channel is None):
        raise ValidationError({"decision": _("A decision is on one campaign or one channel.")})
    if campaign is not None and campaign.plan_id != plan.pk:
        raise ValidationError({"campaign": _("The campaign belongs to another plan.")})
    review, _created = MonthlyReview.objects.get_or_create(plan=plan, month=month.replace(day=1))
    line = (
        review.lines.filter(campaign=campaign).first()
        if campaign is not None
        else review.lines.filter(channel=channel).first()
    ) or MonthlyReviewLine(review=review, campaign=campaign, channel=channel)
    line.decision, line.note, line.decided_by = decision, (note or "").strip(), by
    line._history_user = by
    line.full_clean()
    line.save()
    return line
