"""Bar widths without inline styles: ``{% load bars %}``, then ``class="{{ share|width_class }}"``.

The Content-Security-Policy allows no ``style`` attribute (style-src 'self'), so a bar's width
is one of static/css/widths.css's classes, ``w-pct-0`` to ``w-pct-100`` (whole percent).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def width_class(percent) -> str:
    """The width class of a bar `percent` wide, rounded to a whole percent within 0–100; a
    value that is not a number (None, "") is an empty bar."""
    try:
        value = Decimal(str(percent))
    except (InvalidOperation, ValueError, TypeError):
        return "w-pct-0"
    if not value.is_finite():
        return "w-pct-0"
    return f"w-pct-{min(max(int(value.to_integral_value(rounding=ROUND_HALF_UP)), 0), 100)}"
