from django import template

from .. import reading

register = template.Library()


@register.filter
def figure(value, unit):
    return reading.figure(value, unit)


@register.filter
def whole_percent(value):
    return reading.whole_percent(value)


@register.filter
def verdict(figures):
    return reading.verdict(figures)
