"""Deadlines counted in working days with the administrator's holiday table."""

from datetime import date

import pytest

from plans.calendar import kickoff_deadline, review_deadline, working_days_after
from plans.models import CalendarDay
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_a_holiday_in_the_table_moves_a_deadline():
    assert working_days_after(date(2099, 3, 2), 3) == date(2099, 3, 5)
    CalendarDay.objects.create(date=date(2099, 3, 3), is_working_day=False, name="公司日")
    assert working_days_after(date(2099, 3, 2), 3) == date(2099, 3, 6)


def test_a_make_up_day_in_the_table_brings_a_deadline_forward():
    # Friday 6 March 2099; Saturday 7 made a working day.
    CalendarDay.objects.create(date=date(2099, 3, 7), is_working_day=True, name="调休")
    assert working_days_after(date(2099, 3, 6), 1) == date(2099, 3, 7)


def test_a_campaigns_deadlines_count_three_working_days():
    campaign = CampaignFactory(start_date=date(2025, 9, 29), end_date=date(2025, 9, 30))
    # From the start: 30 September, then 1–8 October off, 9 and 10.
    assert kickoff_deadline(campaign) == date(2025, 10, 10)
    # From the end: 9, 10 and the make-up Saturday 11.
    assert review_deadline(campaign) == date(2025, 10, 11)
