"""Working days the Chinese way: weekends, statutory holidays, make-up working days (调休)."""

from datetime import date

import pytest

from core.workdays import add_working_days, is_working_day


def test_an_ordinary_week_skips_the_weekend():
    # Friday 13 March 2026 + 3 working days: Mon 16, Tue 17, Wed 18.
    assert add_working_days(date(2026, 3, 13), 3) == date(2026, 3, 18)


def test_a_working_day_count_starts_after_the_given_day():
    assert add_working_days(date(2026, 3, 16), 1) == date(2026, 3, 17)
    assert add_working_days(date(2026, 3, 16), 0) == date(2026, 3, 16)


def test_the_national_day_holiday_is_skipped():
    # 2025: 1–8 October off; Saturday 11 October is a make-up working day.
    assert not is_working_day(date(2025, 10, 3))
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_a_make_up_saturday_is_a_working_day():
    assert date(2025, 10, 11).weekday() == 5
    assert is_working_day(date(2025, 10, 11))
    # Thursday 9, Friday 10, then the make-up Saturday 11.
    assert add_working_days(date(2025, 10, 8), 3) == date(2025, 10, 11)


def test_the_administrators_table_wins_over_the_package():
    holiday = {date(2026, 3, 17): False}
    assert add_working_days(date(2026, 3, 16), 1, overrides=holiday) == date(2026, 3, 18)
    make_up = {date(2026, 3, 14): True}
    assert add_working_days(date(2026, 3, 13), 1, overrides=make_up) == date(2026, 3, 14)


def test_a_year_the_package_does_not_know_counts_weekdays_and_the_table():
    far = date(2099, 1, 2)  # a Friday
    assert far.weekday() == 4
    assert add_working_days(far, 1) == date(2099, 1, 5)
    assert add_working_days(far, 1, overrides={date(2099, 1, 5): False}) == date(2099, 1, 6)


def test_counting_backwards_is_refused():
    with pytest.raises(ValueError, match="forward"):
        add_working_days(date(2026, 3, 16), -1)
