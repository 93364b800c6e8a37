"""ISO weeks as people write them, and the weeks the tracker keeps."""

from datetime import date

import pytest

from plans.weeks import parse_week, week_label, week_start


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2026-W24", date(2026, 6, 8)),
        ("2026w24", date(2026, 6, 8)),
        ("2026-06-14", date(2026, 6, 8)),  # a Sunday belongs to the week before it
        ("2026-06-15", date(2026, 6, 15)),
        ("2025-W53", None),  # 2025 has 52 ISO weeks
        ("2026-W53", date(2026, 12, 28)),  # 2026 has 53
        ("2020-W53", date(2020, 12, 28)),
        ("2000-W02", date(2000, 1, 10)),  # its week before starts 2000-01-03: within the dates kept
        ("2000-W01", None),  # its week before starts in 1999
        ("9999-W52", None),
        ("２０２６-W24", None),
        ("", None),
    ],
)
def test_a_week_is_read_from_an_iso_week_or_one_of_its_days(text, monday):
    assert parse_week(text) == monday


def test_the_label_is_the_iso_week():
    assert week_label(week_start(date(2027, 1, 1))) == "2026-W53"
