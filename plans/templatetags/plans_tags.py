from decimal import Decimal

from django import template

from core.formatting import format_money, format_number
from plans.models import Unit

register = template.Library()


@register.filter
def with_unit(value, metric):
    """A value in its metric's unit: 3.5%, ¥300,000, 1:5, 12 h (¥30万 in Chinese)."""
    if value is None or value == "":
        return format_number(None)
    unit = getattr(metric, "unit", None)
    if unit == Unit.CURRENCY:
        return format_money(value)
    if unit == Unit.PERCENT:
        return f"{format_number(value, fixed=bool(Decimal(str(value)) % 1))}%"
    if unit == Unit.RATIO:
        return f"1:{format_number(value)}"
    if unit == Unit.HOURS:
        return f"{format_number(value)} h"
    return format_number(value)


STATUS_STYLES = {
    "on_track": "success",
    "at_risk": "warning",
    "off_track": "danger",
    "no_data": "secondary",
    "not_started": "light",
    "no_target": "light",
}


@register.filter
def status_style(status):
    """Bootstrap colour of an attainment status."""
    return STATUS_STYLES.get(status, "secondary")
