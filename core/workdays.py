"""Working days the Chinese way: weekends off, statutory holidays off, and the make-up
working days (调休, a Saturday or Sunday worked to bridge a holiday) on.

The calendar comes from `chinese_calendar`, which the State Council's yearly notice updates;
for a year it does not know yet, weekends alone, unless the caller passes the days an
administrator has entered (`overrides`: a date → whether it is a working day), which win over
the package. Every deadline counted in working days goes through `add_working_days`.
"""

from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar


def is_working_day(day: date, *, overrides: Mapping[date, bool] | None = None) -> bool:
    """Whether people work on `day`: the administrator's table first, then the package, then
    Monday to Friday for a year the package does not cover."""
    if overrides and day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: date, days: int, *, overrides: Mapping[date, bool] | None = None) -> date:
    """The date `days` working days after `start` (`start` itself not counted: 3 working days
    after a Friday is the next Wednesday in an ordinary week). Zero days is `start` itself."""
    if days < 0:
        raise ValueError("Count working days forward only.")
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, overrides=overrides):
            counted += 1
    return day


def working_days_between(start: date, end: date, *, overrides: Mapping[date, bool] | None = None) -> int:
    """How many working days lie after `start` up to and including `end` (0 when `end` is not
    after `start`): a request made on a Friday has waited 1 working day on an ordinary Monday."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, overrides=overrides):
            count += 1
    return count


def span_for(days: int) -> int:
    """Calendar days that surely hold `days` working days (the longest Chinese holiday, Spring
    Festival with its weekends, is 9 days off in a row): for reading overrides in one query."""
    return days * 3 + 21
