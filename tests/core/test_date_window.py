"""core.dates: the window of dates the tracker keeps, 2000-01-01 to 2100-12-31."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.dates import EARLIEST_DATE, LATEST_DATE, clamp_date, date_problem, validate_date_in_window


@pytest.mark.parametrize("day", [date(2000, 1, 1), date(2026, 6, 1), date(2100, 12, 31)])
def test_a_date_within_the_window_edges_included_is_kept(day):
    assert date_problem(day) is None
    validate_date_in_window(day)


@pytest.mark.parametrize("day", [date(1999, 12, 31), date(2101, 1, 1), date(1, 1, 1), date(9999, 12, 31)])
def test_a_date_one_day_past_an_edge_or_further_is_refused_saying_the_window(day):
    assert "from 2000-01-01 to 2100-12-31" in date_problem(day)
    with pytest.raises(ValidationError, match=day.isoformat()):
        validate_date_in_window(day)


@pytest.mark.parametrize(
    ("day", "clamped"),
    [
        (date(1, 1, 1), EARLIEST_DATE),
        (date(1999, 12, 31), EARLIEST_DATE),
        (date(2026, 6, 1), date(2026, 6, 1)),
        (date(2101, 1, 1), LATEST_DATE),
        (date(9999, 12, 31), LATEST_DATE),
    ],
)
def test_a_stored_date_is_drawn_at_the_nearest_edge(day, clamped):
    assert clamp_date(day) == clamped
