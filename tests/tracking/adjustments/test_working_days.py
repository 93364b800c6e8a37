"""A request pending for more than two working days is flagged: working days counted the
Chinese way (core.workdays: statutory holidays off, make-up working days on, the
administrator's holiday table first), at the boundary."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import CalendarDay
from tracking.adjustment_selectors import flag
from tracking.models import Adjustment, AdjustmentState, working_days_between

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _requested(day: date, *, state=AdjustmentState.PENDING) -> Adjustment:
    return Adjustment(state=state, created_at=datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2026, 6, 1), date(2026, 6, 1), 0),  # Monday, same day
        (date(2026, 6, 1), date(2026, 6, 3), 2),  # Monday → Wednesday
        (date(2026, 6, 5), date(2026, 6, 8), 1),  # Friday → Monday: the weekend does not count
        (date(2026, 6, 6), date(2026, 6, 7), 0),  # Saturday → Sunday
        (date(2026, 6, 1), date(2026, 6, 15), 10),  # two weeks
        (date(2026, 6, 3), date(2026, 6, 1), 0),  # backwards
        (date(2026, 9, 30), date(2026, 10, 8), 1),  # National Day, 1–7 October, is off
        (date(2026, 10, 9), date(2026, 10, 10), 1),  # Saturday 10 October is a make-up working day
    ],
)
def test_working_days_count_the_chinese_calendar_after_the_start(start, end, days):
    assert working_days_between(start, end) == days


@pytest.mark.django_db
def test_pending_for_two_working_days_is_not_flagged_and_for_three_it_is():
    adjustment = _requested(date(2026, 6, 5))
    assert not adjustment.is_overdue(date(2026, 6, 9))  # Friday → Tuesday: 2
    assert adjustment.is_overdue(date(2026, 6, 10))  # → Wednesday: 3
    adjustment.state = AdjustmentState.APPROVED
    assert not adjustment.is_overdue(date(2026, 6, 30))


@pytest.mark.django_db
def test_national_day_does_not_count():
    # Requested on Wednesday 30 September: 1–7 October are holidays; Thursday 8 is 1 working
    # day, Friday 9 is 2 (not flagged), Saturday 10 (a make-up working day) is 3 (flagged).
    adjustment = _requested(date(2026, 9, 30))
    assert adjustment.pending_working_days(date(2026, 10, 7)) == 0
    assert not adjustment.is_overdue(date(2026, 10, 8))
    assert adjustment.pending_working_days(date(2026, 10, 9)) == 2
    assert not adjustment.is_overdue(date(2026, 10, 9))
    assert adjustment.is_overdue(date(2026, 10, 10))


@pytest.mark.django_db
def test_a_make_up_working_saturday_counts():
    # Requested Thursday 8 October 2026: Friday 9 and Saturday 10 (调休) are 2, Monday 12 is 3.
    adjustment = _requested(date(2026, 10, 8))
    assert adjustment.pending_working_days(date(2026, 10, 10)) == 2
    assert not adjustment.is_overdue(date(2026, 10, 11))
    assert adjustment.is_overdue(date(2026, 10, 12))


@pytest.mark.django_db
def test_the_administrators_days_win_over_the_package():
    adjustment = _requested(date(2026, 6, 5))  # a Friday
    CalendarDay.objects.create(date=date(2026, 6, 9), is_working_day=False, name="公司假日")
    # Monday 8 and Wednesday 10 count, the company holiday on Tuesday 9 does not.
    assert not adjustment.is_overdue(date(2026, 6, 10))
    assert adjustment.is_overdue(date(2026, 6, 11))
    CalendarDay.objects.create(date=date(2026, 6, 6), is_working_day=True, name="调休")
    assert adjustment.is_overdue(date(2026, 6, 10))  # Saturday 6 worked: 3 by Wednesday


@pytest.mark.django_db
def test_flagging_a_list_reads_the_holiday_table_once():
    CalendarDay.objects.create(date=date(2026, 6, 9), is_working_day=False, name="公司假日")
    adjustments = [_requested(date(2026, 6, 5)), _requested(date(2026, 6, 1)), _requested(date(2026, 6, 8))]

    with CaptureQueriesContext(connection) as context:
        flagged = flag(adjustments, today=date(2026, 6, 10))

    assert len(context.captured_queries) == 1
    assert [(item.age, item.overdue) for item in flagged] == [(2, False), (6, True), (1, False)]
