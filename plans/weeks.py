"""ISO weeks, and what a campaign's goals did in one: the figures of the weekly review and
of the weekly progress log (form 2), read through the one attainment computation."""

import re
from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import QuerySet

from core.dates import EARLIEST_DATE, LATEST_DATE

from .models import Campaign, Target
from .selectors import annotate_actuals, attainment_of, target_list

ISO_WEEK = re.compile(r"(?P<year>\d{4})-?W(?P<week>\d{1,2})", re.IGNORECASE | re.ASCII)


def week_start(day: date) -> date:
    """The Monday of the ISO week a day falls in."""
    return day - timedelta(days=day.weekday())


def week_end(monday: date) -> date:
    return monday + timedelta(days=6)


def week_label(monday: date) -> str:
    """The ISO week as people write it: 2026-W24."""
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str) -> date | None:
    """The Monday of a week given as an ISO week (2026-W24) or as any of its days
    (2026-06-10); None when the text is neither, or the week is not wholly within the dates
    the tracker keeps (core.dates)."""
    text = (text or "").strip()
    match = ISO_WEEK.fullmatch(text)
    try:
        if match:
            monday = date.fromisocalendar(int(match["year"]), int(match["week"]), 1)
        elif text.isascii() and len(text) == 10:
            monday = week_start(date.fromisoformat(text))
        else:
            return None
        # The week before and the week after are read with it (the review's change, its links).
        kept = monday - timedelta(days=7) >= EARLIEST_DATE and week_end(monday) + timedelta(days=7) <= LATEST_DATE
    except (ValueError, OverflowError):
        return None
    return monday if kept else None


def week_in_campaign(campaign: Campaign, monday: date) -> bool:
    """Whether at least one day of the week lies in the campaign's dates."""
    return campaign.start_date <= week_end(monday) and campaign.end_date >= monday


def goal_weeks(*, campaigns: Iterable[int] | QuerySet, monday: date) -> list[Target]:
    """The goals and sub-goals of campaigns for one week, in one query: each with
    `week_total` and `previous_total` (the metric over the week and the week before, summed,
    averaged or last as the metric says), `attainment` as it stood at the end of the week
    and `previous_attainment` at the end of the week before (plans.attainment), and the
    week's `change` in attainment, in percentage points."""
    sunday, previous_sunday = week_end(monday), monday - timedelta(days=1)
    targets = target_list().filter(campaign__in=campaigns).order_by("campaign_id", "sort_order", "pk")
    targets = annotate_actuals(targets, until=sunday, name="actual_then")
    targets = annotate_actuals(targets, until=previous_sunday, name="actual_before")
    targets = annotate_actuals(targets, since=monday, until=sunday, name="week_total")
    targets = annotate_actuals(targets, since=monday - timedelta(days=7), until=previous_sunday, name="previous_total")
    goals = list(targets)
    for goal in goals:
        goal.attainment = attainment_of(goal, today=sunday, field="actual_then")
        goal.previous_attainment = attainment_of(goal, today=previous_sunday, field="actual_before")
        now, before = goal.attainment.percent, goal.previous_attainment.percent
        goal.change = now - before if now is not None and before is not None else None
        goal.total_change = (
            goal.week_total - goal.previous_total
            if goal.week_total is not None and goal.previous_total is not None
            else None
        )
    return goals
