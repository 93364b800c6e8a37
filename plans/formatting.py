"""A metric's figures as people read them, in its unit: ¥32万, 3.5%, 1:5, 12 h, 23,333 units.

Built on core.formatting (thousands in English, 万 and 亿 in Chinese) for pages, messages and
alert texts alike, so a figure reads the same wherever it is shown."""

from decimal import ROUND_HALF_UP, Decimal

from core.formatting import format_money, format_number

from .models import Unit


def format_in_unit(value, unit: str | None, *, language: str | None = None) -> str:
    """A figure in a metric's unit; a count is a whole number (an expected 23,333.33 units
    reads 23,333); "–" for None."""
    if value is None or value == "":
        return format_number(None)
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if unit == Unit.CURRENCY:
        return format_money(number, language=language)
    if unit == Unit.PERCENT:
        return f"{format_number(number, fixed=bool(number % 1), language=language)}%"
    if unit == Unit.RATIO:
        return f"1:{format_number(number, language=language)}"
    if unit == Unit.HOURS:
        return f"{format_number(number, language=language)} h"
    if unit == Unit.COUNT:
        return format_number(number.quantize(Decimal(1), rounding=ROUND_HALF_UP), language=language)
    return format_number(number, language=language)


def format_for_metric(value, metric, *, language: str | None = None) -> str:
    """A figure of a metric (or of none: a plain number)."""
    return format_in_unit(value, getattr(metric, "unit", None), language=language)
