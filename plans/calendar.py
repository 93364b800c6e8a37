"""Deadlines in working days: core.workdays' count with the holiday table an administrator
keeps (CalendarDay), read in one query per deadline."""

from datetime import date, timedelta

from core.workdays import add_working_days, span_for
from core.workdays import working_days_between as count_working_days

from .models import CalendarDay

# The template's deadlines: goals broken down within 3 working days of kickoff, the review
# within 3 working days of the campaign's end.
KICKOFF_WORKING_DAYS = 3
REVIEW_WORKING_DAYS = 3


def calendar_overrides(*, start: date, end: date) -> dict[date, bool]:
    """The administrator's days between `start` and `end`: date → whether it is a working day."""
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_working_day"))


def working_days_after(start: date, days: int) -> date:
    """The date `days` working days after `start`, with the holiday table."""
    overrides = calendar_overrides(start=start, end=start + timedelta(days=span_for(days)))
    return add_working_days(start, days, overrides=overrides)


def working_days_between(start: date, end: date, *, overrides: dict[date, bool] | None = None) -> int:
    """Working days after `start` up to and including `end`, with the holiday table (read here
    in one query unless the caller read it already for many counts)."""
    if overrides is None:
        overrides = calendar_overrides(start=start, end=end) if end > start else {}
    return count_working_days(start, end, overrides=overrides)


def kickoff_deadline(campaign) -> date:
    """When a campaign should have left planning: 3 working days after its start."""
    return working_days_after(campaign.start_date, KICKOFF_WORKING_DAYS)


def review_deadline(campaign) -> date:
    """When a campaign's review should be final: 3 working days after its end."""
    return working_days_after(campaign.end_date, REVIEW_WORKING_DAYS)
