"""The monthly review (月度复盘) of a plan: each campaign and each budgeted channel with its
attainment, cost and efficiency in the month, flagged when under its thresholds, and the
manager's decision (stop, continue, boost). A stop or a boost opens a budget adjustment request,
prefilled: money moved away from the line, or towards it.

A campaign's efficiency is sales revenue per yuan of marketing cost in the month. A channel's
output, cost, efficiency (output per ¥10,000 of cost) and rank are the channel-efficiency
ranking's (plans.ranking) over the month, so the review and the ranking agree: the channels
with a budget line, and those the ranking ranks. A campaign is flagged when its headline goal
is at risk or off track or it has an unresolved alert; a channel when its efficiency is below
the plan's for the month (all channels' output per ¥10,000 of their cost), or its channel
target is at risk or off track.
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
from plans.ranking import COST_UNIT, ChannelRank, period_ranking
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
    # A channel's line: its row of the month's channel-efficiency ranking (output, rank).
    rank: ChannelRank | None = None
    output_metric: object = None

    @property
    def efficiency(self) -> Decimal | None:
        """A campaign's revenue per yuan of cost; a channel's output per ¥10,000 of cost, as
        the ranking has it."""
        if self.kind == "channel":
            return self.rank.efficiency if self.rank is not None else None
        return (self.revenue / self.cost).quantize(Decimal("0.01")) if self.cost else None

    @property
    def output(self) -> Decimal | None:
        return self.rank.output if self.rank is not None else None

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
    by_campaign = defaultdict(lambda: [Decimal(0), Decimal(0)])
    rows = values.filter(campaign__isnull=False).values("campaign_id", "metric__is_cost").annotate(total=Sum("value"))
    for row in rows.order_by():
        by_campaign[row["campaign_id"]][0 if row["metric__is_cost"] else 1] += row["total"]
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
    lines += channel_lines(plan=plan, start=start, end=end, channel_targets=channel_targets, decisions=decisions)
    for line in lines:
        line.flagged = bool(line.reasons)
    return lines


def channel_lines(*, plan, start: date, end: date, channel_targets: dict, decisions: dict) -> list[ReviewLine]:
    """The month's channel lines: each channel with a budget line or a rank in the month's
    channel-efficiency ranking, ranked ones first by rank; their figures are the ranking's."""
    previous_start = month_bounds(date.fromordinal(start.toordinal() - 1))[0]
    ranking = period_ranking(plan=plan, start=start, end=end, previous_start=previous_start)
    ranks = {row.channel_id: row for row in ranking.rows}
    budget_lines = {
        line.channel_id: line
        for line in with_spend(
            BudgetLine.objects.filter(plan=plan, channel__isnull=False).select_related("channel").order_by("pk")
        )
    }
    # A ranked channel without a budget line is named from its ranking row: no query more.
    channels = {
        row.channel_id: Channel(pk=row.channel_id, code=row.code, name_en=row.name_en, name_zh=row.name_zh)
        for row in ranking.rows
    }
    channels.update({line.channel_id: line.channel for line in budget_lines.values()})
    order = [row.channel_id for row in ranking.rows] + [pk for pk in budget_lines if pk not in ranks]
    lines = []
    for channel_id in order:
        rank, budget_line = ranks.get(channel_id), budget_lines.get(channel_id)
        target = channel_targets.get(channel_id)
        line = ReviewLine(
            "channel",
            channels[channel_id],
            budget_line.planned_amount if budget_line else None,
            (rank.cost or Decimal(0)) if rank else Decimal(0),
            Decimal(0),
            target.attainment if target else None,
            budget_line=budget_line,
            spent_to_date=budget_line.spent if budget_line else None,
            rank=rank,
            output_metric=ranking.output_metric,
        )
        if target is not None and target.attainment.status in FLAGGED:
            line.reasons.append(_("channel target %(status)s") % {"status": target.attainment.status_label})
        line.decision = decisions.get(("channel", channel_id))
        lines.append(line)
    total_output = sum((row.output or Decimal(0) for row in ranking.rows if row.cost), Decimal(0))
    total_cost = sum((row.cost or Decimal(0) for row in ranking.rows), Decimal(0))
    average = total_output * COST_UNIT / total_cost if total_cost else None
    for line in lines:
        if average is not None and line.efficiency is not None and line.efficiency < average:
            line.reasons.append(_("efficiency below the plan's average of %(average)s") % {"average": f"{average:.1f}"})
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
    elif line.budget_line is None:
        # A ranked channel without a budget line of its own: the plan's budget request, to say where.
        path = reverse("tracking:plan_adjustment_request", args=[plan.pk, "budget"])
        return f"{path}?{urlencode({'reason': reason})}"
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
