"""How form 4's figures read, the same on the page, in the DOCX and in the XLSX: attainment as
a whole percent (96%, 107%), an ROI both as 1:4.2 and as 420%, amounts in the reader's units
(core.formatting)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import pgettext

from core.formatting import EMPTY, format_money, format_number
from plans.models import Unit


def whole_percent(value: Decimal | None) -> str:
    if value is None:
        return EMPTY
    return f"{Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def ratio(value: Decimal | None) -> str:
    """An ROI of 4.2 reads 1:4.2 (per yuan spent, 4.2 earned)."""
    if value is None:
        return EMPTY
    return f"1:{format_number(value, places=2)}"


def ratio_percent(value: Decimal | None) -> str:
    if value is None:
        return EMPTY
    return whole_percent(Decimal(value) * 100)


def figure(value: Decimal | None, unit: str) -> str:
    """A target or actual as it reads in form 4."""
    if unit == Unit.RATIO:
        return EMPTY if value is None else f"{ratio(value)} ({ratio_percent(value)})"
    if unit == Unit.CURRENCY:
        return format_money(value)
    if unit == Unit.PERCENT:
        return EMPTY if value is None else f"{format_number(value)}%"
    return format_number(value)


def verdict(figures) -> str:
    met = figures.met
    if met is None:
        return ""
    return pgettext("review verdict", "met") if met else pgettext("review verdict", "missed")
