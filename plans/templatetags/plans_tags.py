from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

from plans.models import Unit

register = template.Library()


@register.filter
def num(value, places=None):
    """A number as people read it: grouped thousands, no trailing zeros (50000.0000 → 50,000)."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-int(places)))
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        # Two decimals are what people read (23,333.33), without trailing zeros (4.2).
        number = number.quantize(Decimal("0.01")).normalize()
    return formats.number_format(number, use_l10n=True, force_grouping=True)


@register.filter
def with_unit(value, metric):
    """A value in its metric's unit: 3.5%, ¥300,000, 1:5, 12 h."""
    if value is None or value == "":
        return "–"
    unit = getattr(metric, "unit", None)
    if unit == Unit.PERCENT:
        return f"{num(value, 2 if Decimal(str(value)) % 1 else None)}%"
    if unit == Unit.CURRENCY:
        return f"¥{num(value, 2 if Decimal(str(value)) % 1 else None)}"
    if unit == Unit.RATIO:
        return f"1:{num(value)}"
    if unit == Unit.HOURS:
        return f"{num(value)} h"
    return num(value)


@register.filter
def percent(value, places=0):
    if value is None:
        return "–"
    return f"{num(Decimal(str(value)), places)}%"


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
