from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

from plans.attainment import Status
from plans.models import PlanStatus, Unit

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
    Status.ON_TRACK: "success",
    Status.AT_RISK: "warning",
    Status.OFF_TRACK: "danger",
    Status.NO_DATA: "secondary",
    Status.NOT_STARTED: "light",
    Status.NO_TARGET: "light",
}
PLAN_STATUS_STYLES = {
    PlanStatus.DRAFT: "secondary",
    PlanStatus.APPROVED: "info",
    PlanStatus.ACTIVE: "success",
    PlanStatus.CLOSED: "dark",
}


@register.filter
def status_style(status):
    """Bootstrap colour of an attainment status."""
    return STATUS_STYLES.get(status, "secondary")


@register.filter
def plan_status_style(status):
    """Bootstrap colour of a plan's status."""
    return PLAN_STATUS_STYLES.get(status, "dark")
