from django import template

from plans.attainment import Status
from plans.formatting import format_for_metric
from plans.models import PlanStatus

register = template.Library()


@register.filter
def with_unit(value, metric):
    """A value in its metric's unit: 3.5%, ¥300,000, 1:5, 12 h, a count whole (¥30万 in Chinese)."""
    return format_for_metric(value, metric)


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
def attainment_style(attainment):
    """Bootstrap colour of an attainment bar: its status's, and never success for a metric
    where lower is better that is over its target (a cost over budget is a miss, whatever
    else is known about it)."""
    if attainment.lower_is_better and attainment.over_target:
        return "danger"
    return status_style(attainment.status)


@register.filter
def plan_status_style(status):
    """Bootstrap colour of a plan's status."""
    return PLAN_STATUS_STYLES.get(status, "dark")
