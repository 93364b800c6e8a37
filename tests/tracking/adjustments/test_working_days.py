"""A request pending for more than two working days is flagged (Monday to Friday for now)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tracking.models import Adjustment, AdjustmentState, working_days_between

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2026, 6, 1), date(2026, 6, 1), 0),  # Monday, same day
        (date(2026, 6, 1), date(2026, 6, 3), 2),  # Monday → Wednesday
        (date(2026, 6, 5), date(2026, 6, 8), 1),  # Friday → Monday: the weekend does not count
        (date(2026, 6, 6), date(2026, 6, 7), 0),  # Saturday → Sunday
        (date(2026, 6, 1), date(2026, 6, 15), 10),  # two weeks
        (date(2026, 6, 3), date(2026, 6, 1), 0),  # backwards
    ],
)
def test_working_days_count_weekdays_after_the_start(start, end, days):
    assert working_days_between(start, end) == days


def test_pending_for_two_working_days_is_not_flagged_and_for_three_it_is():
    adjustment = Adjustment(state=AdjustmentState.PENDING, created_at=datetime(2026, 6, 5, 10, tzinfo=SHANGHAI))
    assert not adjustment.is_overdue(date(2026, 6, 9))  # Friday → Tuesday: 2
    assert adjustment.is_overdue(date(2026, 6, 10))  # → Wednesday: 3
    adjustment.state = AdjustmentState.APPROVED
    assert not adjustment.is_overdue(date(2026, 6, 30))
