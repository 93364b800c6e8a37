"""Numbers and money in pages, through core.formatting: ``{% load formatting %}``, then
``{{ value|num }}``, ``{{ share|num:1 }}``, ``{{ share|percent:1 }}``, ``{{ budget|money }}``."""

from decimal import Decimal, InvalidOperation

from django import template

from core.formatting import format_money, format_number

register = template.Library()


def _number(value) -> Decimal | None:
    """The number a template gives (a Decimal, an int, a float or its text); None when none."""
    if value is None or value == "":
        return None
    return Decimal(str(value))


@register.filter
def num(value, places=None):
    """A number as people read it: 50,000 (50000.0000), 4.2, 23,333.33; 5万 in Chinese. With
    `places`, exactly that many decimals (85.0)."""
    try:
        number = _number(value)
    except (InvalidOperation, ValueError):
        return value
    if places is None:
        return format_number(number)
    return format_number(number, places=int(places), fixed=True)


@register.filter
def percent(value, places=0):
    """A percentage with exactly `places` decimals: 12.5%."""
    if value is None:
        return format_number(None)
    return f"{num(value, places)}%"


@register.filter
def money(value):
    """An amount in yuan: ¥320,000, ¥1,234.50; ¥32万 in Chinese."""
    try:
        return format_money(_number(value))
    except (InvalidOperation, ValueError):
        return value
