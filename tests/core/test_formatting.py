from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.formatting import format_money, format_number


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        (0, "0", "0"),
        (9_999, "9,999", "9,999"),
        (10_000, "10,000", "1万"),
        (320_000, "320,000", "32万"),
        (123_456, "123,456", "12.35万"),
        (99_999_999, "99,999,999", "1亿"),
        (100_000_000, "100,000,000", "1亿"),
        (120_000_000, "120,000,000", "1.2亿"),
        (10**12, "1,000,000,000,000", "1万亿"),
        (-9_999, "-9,999", "-9,999"),
        (-320_000, "-320,000", "-32万"),
        (Decimal("50000.0000"), "50,000", "5万"),
        (Decimal("4.20"), "4.2", "4.2"),
        (Decimal("23333.3333"), "23,333.33", "2.33万"),
        (Decimal("9999.999"), "10,000", "1万"),
        (Decimal("-0.001"), "0", "0"),
        (12.5, "12.5", "12.5"),
        (None, "–", "–"),
    ],
)
def test_numbers_read_with_thousands_in_english_and_wan_and_yi_in_chinese(value, english, chinese):
    assert (format_number(value, language="en"), format_number(value, language="zh-hans")) == (english, chinese)


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        (9_999, "¥9,999", "¥9,999"),
        (10_000, "¥10,000", "¥1万"),
        (320_000, "¥320,000", "¥32万"),
        (99_999_999, "¥99,999,999", "¥1亿"),
        (100_000_000, "¥100,000,000", "¥1亿"),
        (120_000_000, "¥120,000,000", "¥1.2亿"),
        (Decimal("1234.50"), "¥1,234.50", "¥1,234.50"),
        (Decimal("1234.00"), "¥1,234", "¥1,234"),
        (Decimal("123456.78"), "¥123,456.78", "¥12.35万"),
        (Decimal("-5000"), "-¥5,000", "-¥5,000"),
        (Decimal("-320000"), "-¥320,000", "-¥32万"),
        (Decimal("-0.001"), "¥0", "¥0"),
        (None, "–", "–"),
    ],
)
def test_money_reads_in_yuan_with_two_decimals_only_when_there_are_cents(value, english, chinese):
    assert (format_money(value, language="en"), format_money(value, language="zh-hans")) == (english, chinese)


def test_fixed_places_keep_their_trailing_zeros():
    assert format_number(Decimal("85"), places=1, fixed=True, language="en") == "85.0"


def test_places_bound_the_decimals_shown():
    assert format_number(Decimal("0.0350"), places=4, language="en") == "0.035"


def test_a_missing_number_may_read_as_something_else_than_a_dash():
    assert format_number(None, empty="?") == "?"


def test_without_a_language_the_active_translation_decides():
    with translation.override("zh-hans"):
        assert format_number(320_000) == "32万"


def test_an_explicit_language_wins_over_the_active_translation():
    with translation.override("zh-hans"):
        assert format_money(320_000, language="en") == "¥320,000"


@pytest.mark.parametrize(
    ("template", "english", "chinese"),
    [
        ("{{ value|num }}", "320,000", "32万"),
        ("{{ value|money }}", "¥320,000", "¥32万"),
        ("{{ share|num:1 }}", "12.0", "12.0"),
        ("{{ share|percent:1 }}", "12.0%", "12.0%"),
        ("{{ missing|num }} {{ missing|money }} {{ missing|percent }}", "– – –", "– – –"),
    ],
)
def test_pages_format_through_the_template_filters(template, english, chinese):
    context = Context({"value": Decimal("320000.00"), "share": Decimal(12), "missing": None})
    rendered = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            rendered[language] = Template("{% load formatting %}" + template).render(context)
    assert (rendered["en"], rendered["zh-hans"]) == (english, chinese)
