"""The window of dates the tracker keeps: plans run from 2000 to 2100 (AnnualPlan's year
constraint), so every date a person or a program gives — a campaign's, a goal's, a task's, a
measured value's — falls within it. One validator serves model fields (and so the pages' forms,
the API's serializers and the services' full_clean), plain form and serializer fields, and the
imports; the pages that draw dates clamp what is already stored to the same window."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def date_problem(day: date | None) -> str | None:
    """Why a date cannot be kept, or None when it falls within the window."""
    if day is None or EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return _("%(date)s is outside the dates the tracker keeps: give a date from %(earliest)s to %(latest)s.") % {
        "date": day.isoformat(),
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }


def validate_date_in_window(day: date | None) -> None:
    """A validator for model, form and serializer date fields."""
    problem = date_problem(day)
    if problem:
        raise ValidationError(problem, code="date_out_of_window")


def validate_datetime_in_window(moment: datetime | None) -> None:
    """The same window for date-and-time fields (when an issue occurred, say)."""
    if moment is not None:
        validate_date_in_window(moment.date())


def clamp_date(day: date) -> date:
    """The date, or the window's nearest edge: for drawing data stored before the window existed."""
    return min(max(day, EARLIEST_DATE), LATEST_DATE)
