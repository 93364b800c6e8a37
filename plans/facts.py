"""Target against actual, per day or per ISO week: the fact table a BI tool charts.

Every figure comes from the computation the pages use: the actual of a period and the actual
as it stood at its end are `selectors.annotate_actuals` (the metric summed, averaged, last or
derived as the metric says, in the target's scope and channel), and what was expected, the
attainment, the pace and the status are `selectors.attainment_of` judged at the period's last
day, as the weekly review does (plans.weeks.goal_weeks). So the row of today's date holds
what the plan and campaign pages show today.

A page is a block of consecutive periods (PERIODS_PER_PAGE) for up to `limit` targets, read in
one query whatever the number of values, targets or periods in all; the cursor names the next
block and target.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max, Min, QuerySet

from core.dates import EARLIEST_DATE

from .models import Aggregation, Target
from .selectors import annotate_actuals, attainment_of
from .weeks import week_label, week_start

DAY, WEEK = "day", "week"
GRAINS = (DAY, WEEK)
# Periods per page: a week of days, or seven weeks.
PERIODS_PER_PAGE = 7
PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: the first day of its block of periods, and the last target read
    in that block (0 for the block's first page)."""

    block_start: date
    after_target: int = 0


@dataclass(frozen=True)
class FactPage:
    rows: list[dict]
    next: Cursor | None
    start: date | None
    end: date | None


def period_of(day: date, grain: str) -> tuple[date, date]:
    """The period (the day, or its ISO week from Monday to Sunday) a day falls in."""
    if grain == DAY:
        return day, day
    monday = week_start(day)
    return monday, monday + timedelta(days=6)


def default_range(targets: QuerySet[Target]) -> tuple[date | None, date | None]:
    """The targets' own periods, from the first start to the last end."""
    bounds = targets.aggregate(start=Min("period_start"), end=Max("period_end"))
    return bounds["start"], bounds["end"]


def target_facts(
    *, targets: QuerySet[Target], grain: str, start: date, end: date, cursor: Cursor | None, limit: int
) -> FactPage:
    """One page of facts of `targets` (a target_list-like queryset, already scoped and
    filtered) for the periods from `start` to `end` (both included)."""
    first_period = period_of(start, grain)[0]
    block_start = cursor.block_start if cursor else first_period
    after = cursor.after_target if cursor else 0
    periods = _periods(block_start, end, grain)
    if not periods:
        return FactPage([], None, start, end)
    block_end = periods[-1][1]
    # Targets whose own period meets the block (and the asked range), by id.
    page = targets.filter(
        period_start__lte=min(block_end, end), period_end__gte=max(block_start, start), pk__gt=after
    ).order_by("pk")
    for number, (first, last) in enumerate(periods):
        page = annotate_actuals(page, since=first, until=last, name=f"fact_actual_{number}")
        page = annotate_actuals(page, until=last, name=f"fact_cumulative_{number}")
    chosen = list(page[: limit + 1])
    more_targets = len(chosen) > limit
    chosen = chosen[:limit]
    rows = [
        _row(target, number, first, last, grain, start, end)
        for target in chosen
        for number, (first, last) in enumerate(periods)
        if first <= target.period_end and last >= target.period_start and first <= end and last >= start
    ]
    if more_targets:
        following = Cursor(block_start, chosen[-1].pk)
    elif block_end < end:
        following = Cursor(block_end + timedelta(days=1))
    else:
        following = None
    return FactPage(rows, following, start, end)


def _periods(block_start: date, end: date, grain: str) -> list[tuple[date, date]]:
    periods = []
    day = block_start
    while day <= end and len(periods) < PERIODS_PER_PAGE:
        first, last = period_of(day, grain)
        periods.append((first, last))
        day = last + timedelta(days=1)
    return periods


def _kind(target: Target) -> str:
    if target.parent_id:
        return "sub_goal"
    return "campaign_goal" if target.campaign_id else "plan_target"


def _row(target: Target, number: int, first: date, last: date, grain: str, start: date, end: date) -> dict:
    attainment = attainment_of(target, today=last, field=f"fact_cumulative_{number}")
    if target.metric.aggregation == Aggregation.SUM and attainment.expected is not None:
        # What the pace (straight line or quarterly split) makes due within this period.
        before = attainment_of(target, today=first - timedelta(days=1), field="") if first > EARLIEST_DATE else None
        due_before = before.expected if before is not None and before.expected is not None else Decimal(0)
        period_target = attainment.expected - due_before
    else:
        period_target = target.target_value
    return {
        "target": target.pk,
        "kind": _kind(target),
        "plan": target.plan_id,
        "campaign": target.campaign_id,
        "parent": target.parent_id,
        "metric": target.metric.code,
        "channel": target.channel.code if target.channel_id else None,
        "grain": grain,
        "period": first.isoformat() if grain == DAY else week_label(first),
        "period_start": first,
        "period_end": last,
        "target_value": target.target_value,
        "period_target": _decimal(period_target),
        "expected": _decimal(attainment.expected),
        "actual": _decimal(getattr(target, f"fact_actual_{number}")),
        "cumulative_actual": _decimal(getattr(target, f"fact_cumulative_{number}")),
        "attainment_percent": attainment.percent,
        "pace": _decimal(attainment.pace),
        "status": attainment.status,
    }


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(PLACES)
