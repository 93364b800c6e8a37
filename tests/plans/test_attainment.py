"""Attainment is pure arithmetic: no database here."""

from datetime import date
from decimal import Decimal

import pytest

from plans.attainment import AT_RISK_FLOOR, Status, elapsed_share, evaluate
from plans.models import Aggregation, Direction

JUNE_START, JUNE_END = date(2026, 6, 1), date(2026, 6, 30)  # 30 days


def june(*, actual, target="1000", aggregation=Aggregation.SUM, direction=Direction.HIGHER, today, paced=True):
    return evaluate(
        actual=None if actual is None else Decimal(actual),
        target=None if target is None else Decimal(target),
        aggregation=aggregation,
        direction=direction,
        start=JUNE_START,
        end=JUNE_END,
        today=today,
        paced=paced,
    )


# elapsed share ----------------------------------------------------------------------------


def test_elapsed_share_is_zero_before_the_period_starts():
    assert elapsed_share(start=JUNE_START, end=JUNE_END, today=date(2026, 5, 31)) == 0


def test_elapsed_share_counts_the_first_day_as_passed_by_its_end():
    assert elapsed_share(start=JUNE_START, end=JUNE_END, today=JUNE_START) == Decimal(1) / Decimal(30)


def test_elapsed_share_on_day_six_of_thirty_is_a_fifth():
    assert elapsed_share(start=JUNE_START, end=JUNE_END, today=date(2026, 6, 6)) == Decimal("0.2")


def test_elapsed_share_at_mid_period_is_a_half():
    assert elapsed_share(start=JUNE_START, end=JUNE_END, today=date(2026, 6, 15)) == Decimal("0.5")


def test_elapsed_share_is_one_on_the_last_day_and_after():
    assert elapsed_share(start=JUNE_START, end=JUNE_END, today=JUNE_END) == 1
    assert elapsed_share(start=JUNE_START, end=JUNE_END, today=date(2026, 8, 1)) == 1


def test_elapsed_share_of_a_one_day_period_is_one_on_that_day():
    assert elapsed_share(start=JUNE_START, end=JUNE_START, today=JUNE_START) == 1


# aggregation: sums are paced, levels are not ------------------------------------------------


def test_sum_metric_expects_the_elapsed_share_of_its_target():
    result = june(actual="200", today=date(2026, 6, 6))

    assert result.elapsed == Decimal("0.2")
    assert result.expected == Decimal("200")
    assert result.rate == Decimal("0.2")
    assert result.pace == Decimal("1")
    assert result.status == Status.ON_TRACK


def test_sum_metric_behind_its_target_but_ahead_of_pace_is_on_track():
    # given 20% of June gone and 25% of the target reached
    result = june(actual="250", today=date(2026, 6, 6))

    assert result.pace == Decimal("1.25")
    assert result.status == Status.ON_TRACK


def test_sum_metric_not_paced_is_judged_against_the_whole_target():
    result = june(actual="250", today=date(2026, 6, 6), paced=False)

    assert result.expected == Decimal("1000")
    assert result.status == Status.OFF_TRACK


@pytest.mark.parametrize("aggregation", [Aggregation.LAST, Aggregation.AVERAGE])
def test_level_metric_is_judged_against_its_target_from_the_first_day(aggregation):
    # a market share of 20 against a target of 25 is 80% of it, whatever day it is
    result = june(actual="20", target="25", aggregation=aggregation, today=date(2026, 6, 6))

    assert result.expected == Decimal("25")
    assert result.pace is None
    assert result.rate == Decimal("0.8")
    assert result.status == Status.AT_RISK


@pytest.mark.parametrize("aggregation", [Aggregation.LAST, Aggregation.AVERAGE])
def test_level_metric_at_its_target_is_on_track(aggregation):
    result = june(actual="25", target="25", aggregation=aggregation, today=date(2026, 6, 2))

    assert result.status == Status.ON_TRACK


@pytest.mark.parametrize("aggregation", [Aggregation.LAST, Aggregation.AVERAGE])
def test_level_metric_far_below_its_target_is_off_track(aggregation):
    result = june(actual="10", target="25", aggregation=aggregation, today=date(2026, 6, 2))

    assert result.status == Status.OFF_TRACK


# the 80% floor ------------------------------------------------------------------------------


def test_the_at_risk_floor_is_eighty_percent_of_what_is_expected():
    assert Decimal("0.8") == AT_RISK_FLOOR


def test_a_fifth_of_the_month_gone_and_fifteen_percent_reached_is_off_track():
    # expected 0.2 × 1000 = 200; 150 is 75% of that, below the 80% floor
    result = june(actual="150", today=date(2026, 6, 6))

    assert result.expected == Decimal("200")
    assert result.pace == Decimal("0.75")
    assert result.status == Status.OFF_TRACK


def test_exactly_eighty_percent_of_what_is_expected_is_at_risk():
    result = june(actual="160", today=date(2026, 6, 6))

    assert result.pace == Decimal("0.8")
    assert result.status == Status.AT_RISK


def test_just_below_eighty_percent_of_what_is_expected_is_off_track():
    result = june(actual="159.99", today=date(2026, 6, 6))

    assert result.status == Status.OFF_TRACK


def test_just_below_what_is_expected_is_at_risk():
    result = june(actual="199.99", today=date(2026, 6, 6))

    assert result.status == Status.AT_RISK


# pace through the period --------------------------------------------------------------------


def test_pace_on_the_first_day_compares_with_one_day_of_the_target():
    # 1/30 of 3000 is 100 a day
    result = june(actual="100", target="3000", today=JUNE_START)

    assert result.expected.quantize(Decimal("0.0001")) == Decimal("100")
    assert result.pace == Decimal("1")
    assert result.status == Status.ON_TRACK


def test_pace_at_mid_period_doubles_the_rate():
    result = june(actual="400", today=date(2026, 6, 15))

    assert result.elapsed == Decimal("0.5")
    assert result.pace == Decimal("0.8")
    assert result.status == Status.AT_RISK


def test_at_the_end_of_the_period_the_whole_target_is_expected_and_there_is_no_pace():
    result = june(actual="900", today=JUNE_END)

    assert result.expected == Decimal("1000")
    assert result.pace is None
    assert result.rate == Decimal("0.9")
    assert result.status == Status.AT_RISK


def test_after_the_period_a_missed_target_stays_off_track():
    result = june(actual="700", today=date(2026, 7, 15))

    assert result.expected == Decimal("1000")
    assert result.status == Status.OFF_TRACK


def test_after_the_period_a_reached_target_is_on_track():
    result = june(actual="1200", today=date(2026, 7, 15))

    assert result.rate == Decimal("1.2")
    assert result.status == Status.ON_TRACK


# lower is better ----------------------------------------------------------------------------


def test_lower_is_better_over_its_target_is_off_track():
    # cost at 107% of budget is a miss
    result = june(actual="1070", direction=Direction.LOWER, today=JUNE_END)

    assert result.rate == Decimal("1.07")
    assert result.status == Status.OFF_TRACK


def test_lower_is_better_summed_under_pace_is_on_track():
    result = june(actual="150", direction=Direction.LOWER, today=date(2026, 6, 6))

    assert result.status == Status.ON_TRACK


def test_lower_is_better_summed_between_pace_and_target_is_at_risk():
    # 20% of the month gone, 50% of the budget spent
    result = june(actual="500", direction=Direction.LOWER, today=date(2026, 6, 6))

    assert result.status == Status.AT_RISK


def test_lower_is_better_summed_over_the_whole_target_mid_period_is_off_track():
    result = june(actual="1001", direction=Direction.LOWER, today=date(2026, 6, 6))

    assert result.status == Status.OFF_TRACK


def test_lower_is_better_average_under_its_target_is_on_track():
    result = june(
        actual="45", target="50", aggregation=Aggregation.AVERAGE, direction=Direction.LOWER, today=date(2026, 6, 6)
    )

    assert result.status == Status.ON_TRACK


def test_lower_is_better_average_over_its_target_is_off_track():
    result = june(
        actual="55", target="50", aggregation=Aggregation.AVERAGE, direction=Direction.LOWER, today=date(2026, 6, 6)
    )

    assert result.status == Status.OFF_TRACK


# no target, no data, not started ------------------------------------------------------------


@pytest.mark.parametrize("target", [None, "0"])
def test_a_missing_or_zero_target_has_no_target_and_no_rate(target):
    result = june(actual="100", target=target, today=date(2026, 6, 6))

    assert result.status == Status.NO_TARGET
    assert result.rate is None
    assert result.percent is None
    assert result.bar_percent == 0


def test_no_values_yet_is_no_data():
    result = june(actual=None, today=date(2026, 6, 6))

    assert result.status == Status.NO_DATA
    assert result.rate is None
    assert result.expected == Decimal("200")


def test_a_period_not_started_is_not_started_even_with_values():
    result = june(actual="100", today=date(2026, 5, 20))

    assert result.status == Status.NOT_STARTED
    assert result.elapsed == 0
    assert result.pace is None


def test_a_period_not_started_without_values_is_not_started():
    result = june(actual=None, today=date(2026, 5, 20))

    assert result.status == Status.NOT_STARTED


# presentation -------------------------------------------------------------------------------


def test_percent_is_the_rate_times_a_hundred_to_one_decimal():
    result = june(actual="333", today=JUNE_END)

    assert result.percent == Decimal("33.3")


def test_bar_percent_is_clamped_to_a_hundred():
    result = june(actual="2500", today=JUNE_END)

    assert result.percent == Decimal("250.0")
    assert result.bar_percent == 100


def test_bar_percent_is_clamped_to_zero_for_a_negative_actual():
    result = june(actual="-50", target="100", today=JUNE_END)

    assert result.bar_percent == 0


def test_status_label_is_the_human_readable_status():
    result = june(actual="150", today=date(2026, 6, 6))

    assert str(result.status_label) == "off track"
