"""``{% load tracking_tags %}``, then ``{{ alert.observed|alert_figure:alert }}``: an alert's
figure in its unit (¥13.59万, 23,333, 2.18%)."""

from django import template

from tracking.formatting import format_figure

register = template.Library()


@register.filter
def alert_figure(value, alert):
    return format_figure(value, alert.threshold)
