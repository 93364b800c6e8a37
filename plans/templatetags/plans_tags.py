from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.templatetags.bars import width_class
from core.templatetags.formatting import num
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


@register.simple_tag
def attainment_bar(a):
    """An attainment's bar, figure, status and pace (plans/_attainment.html, which calls it):
    built in Python because lists render it once per campaign or goal, where the template took
    most of the annual plan page's time at 200 campaigns (bench/pages_bench.py)."""
    lower, over = a.lower_is_better, a.lower_is_better and a.over_target
    status_label = a.status_label
    figure = f"{num(a.percent, 1)}%" if a.percent is not None else "–"
    if lower:
        hint = gettext("lower is better")
        figure = format_html(
            '{} <span class="text-body-secondary" title="{}" aria-hidden="true">↓</span>'
            '<span class="visually-hidden">{}</span>',
            figure,
            hint,
            hint,
        )
    pace = ""
    if a.pace is not None:
        if a.split:
            words = gettext("pace %(pace)s× with %(due)s%% of the target due by today (quarterly split)") % {
                "pace": conditional_escape(floatformat(a.pace, 2)),
                "due": conditional_escape(num(a.due_percent, 1)),
            }
        else:
            words = gettext("pace %(pace)s× with %(elapsed)s%% of the period gone") % {
                "pace": conditional_escape(floatformat(a.pace, 2)),
                "elapsed": str(round(float(a.elapsed) * 100)),
            }
        pace = format_html('<div class="small text-body-secondary">{}</div>', mark_safe(words))  # noqa: S308 - escaped above
    return format_html(
        '<div class="attainment position-relative{}" title="{}">'
        '<div class="progress progress-thin" role="progressbar" aria-label="{}" aria-valuenow="{}" '
        'aria-valuemin="0" aria-valuemax="100"><div class="progress-bar bg-{}{} {}"></div></div>'
        '<div class="small d-flex flex-wrap justify-content-between align-items-start gap-1">'
        '<span class="text-nowrap{}">{}</span> <span class="badge text-bg-{}">{}</span></div>{}</div>',
        " attainment-lower" if lower else "",
        status_label,
        gettext("Attainment"),
        a.bar_percent,
        attainment_style(a),
        " progress-bar-striped" if over else "",
        width_class(a.bar_percent),
        " text-danger fw-semibold" if over else "",
        figure,
        status_style(a.status),
        status_label,
        pace,
    )
