"""A metric's figures in its unit (plans.formatting, behind the `with_unit` filter): money in
¥ with 万 and 亿 in Chinese, counts whole."""

from decimal import Decimal

import pytest

from plans.formatting import format_in_unit


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        (Decimal("23333.3333"), "23,333", "2.33万"),  # an expected count by today
        (Decimal("2.5"), "3", "3"),  # half rounds up
        (Decimal("2.4999"), "2", "2"),
        (Decimal("9999.5"), "10,000", "1万"),
        (Decimal("0"), "0", "0"),
    ],
)
def test_a_count_reads_as_a_whole_number(value, english, chinese):
    assert format_in_unit(value, "count", language="en") == english
    assert format_in_unit(value, "count", language="zh-hans") == chinese


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        (Decimal("9999"), "¥9,999", "¥9,999"),
        (Decimal("10000"), "¥10,000", "¥1万"),
        (Decimal("135870"), "¥135,870", "¥13.59万"),
        (Decimal("120000000"), "¥120,000,000", "¥1.2亿"),
    ],
)
def test_money_reads_in_wan_and_yi_in_chinese_from_ten_thousand(value, english, chinese):
    assert format_in_unit(value, "cny", language="en") == english
    assert format_in_unit(value, "cny", language="zh-hans") == chinese


def test_other_units_keep_their_decimals_and_signs():
    assert format_in_unit(Decimal("2.18"), "percent", language="en") == "2.18%"
    assert format_in_unit(Decimal("4.2"), "ratio", language="en") == "1:4.2"
    assert format_in_unit(Decimal("7.62"), "hours", language="en") == "7.62 h"
    assert format_in_unit(None, "count", language="en") == "–"
