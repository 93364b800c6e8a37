"""What a threshold checks, in words, and whether it is complete enough to be checked."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import format_money, format_number
from plans.models import Direction, Unit

from .models import Threshold, ThresholdKind

NEEDS_TARGET = {ThresholdKind.ATTAINMENT_BELOW}
NEEDS_METRIC = {ThresholdKind.VALUE_BELOW, ThresholdKind.VALUE_ABOVE, ThresholdKind.BENCHMARK_BELOW}
NEEDS_CAMPAIGN = {ThresholdKind.COST_ABOVE_BUDGET, ThresholdKind.TASKS_OVERDUE, ThresholdKind.MILESTONE_MISSED}


def _num(value: Decimal | None) -> str:
    # Thresholds keep four decimals; a rule not yet complete shows "?" where a figure is missing.
    return format_number(value, places=4, empty="?")


def _figure(value: Decimal | None, metric) -> str:
    # A bound or a benchmark: an amount in yuan reads as money (¥5万 in Chinese), other figures
    # keep the threshold's four decimals; "?" while missing.
    if value is not None and metric is not None and metric.unit == Unit.CURRENCY:
        return format_money(value)
    return _num(value)


def measured_metric(threshold: Threshold):
    """The metric a value or benchmark threshold watches: its own, or its target's."""
    if threshold.metric_id:
        return threshold.metric
    if threshold.target_id:
        return threshold.target.metric
    return None


def scope_name(threshold: Threshold) -> str:
    if threshold.target_id:
        target = threshold.target
        owner = target.campaign.name if target.campaign_id else str(target.plan)
        return f"{target.label} ({owner})"
    if threshold.campaign_id:
        return threshold.campaign.name
    return str(threshold.plan) if threshold.plan_id else "?"


def describe(threshold: Threshold) -> str:
    """The rule in words, e.g. "Alert when units sold is below 80% of the target, paced"."""
    kind = threshold.kind
    metric = measured_metric(threshold)
    metric_name = metric.name if metric else _("the metric")
    channel = f" ({threshold.channel.name})" if threshold.channel_id else ""
    lower_is_better = metric is not None and metric.direction == Direction.LOWER
    if kind == ThresholdKind.ATTAINMENT_BELOW:
        # Attainment is actual ÷ target for every metric; where lower is better, the miss is above.
        if lower_is_better:
            text = _(
                "Alert when %(metric)s (lower is better) is above %(percent)s%% of the target, "
                "i.e. its attainment (actual ÷ target) is over %(percent)s%%"
            ) % {"metric": metric_name, "percent": _num(threshold.percent)}
        else:
            text = _("Alert when %(metric)s is below %(percent)s%% of the target") % {
                "metric": metric_name,
                "percent": _num(threshold.percent),
            }
        if threshold.paced and threshold.target_id and threshold.target.has_quarterly_split:
            text += _(", paced by the target's quarterly split (compared with what it makes due by today)")
        elif threshold.paced:
            text += _(", paced (compared with the share of the period already elapsed)")
        return text
    if kind in (ThresholdKind.VALUE_BELOW, ThresholdKind.VALUE_ABOVE):
        values = {
            "metric": metric_name + channel,
            "bound": _figure(threshold.bound, metric),
            "days": threshold.window_days or 1,
        }
        if kind == ThresholdKind.VALUE_BELOW:
            return (
                ngettext(
                    "Alert when %(metric)s over the last day is below %(bound)s",
                    "Alert when %(metric)s over the last %(days)s days is below %(bound)s",
                    values["days"],
                )
                % values
            )
        return (
            ngettext(
                "Alert when %(metric)s over the last day is above %(bound)s",
                "Alert when %(metric)s over the last %(days)s days is above %(bound)s",
                values["days"],
            )
            % values
        )
    if kind == ThresholdKind.BENCHMARK_BELOW and lower_is_better:
        return _(
            "Alert when %(metric)s is more than %(percent)s%% above the benchmark of %(benchmark)s (%(source)s)"
        ) % {
            "metric": metric_name + channel,
            "percent": _num(threshold.percent),
            "benchmark": _figure(threshold.benchmark_value, metric),
            "source": threshold.benchmark_source or _("no source given"),
        }
    if kind == ThresholdKind.BENCHMARK_BELOW:
        return _(
            "Alert when %(metric)s is more than %(percent)s%% below the benchmark of %(benchmark)s (%(source)s)"
        ) % {
            "metric": metric_name + channel,
            "percent": _num(threshold.percent),
            "benchmark": _figure(threshold.benchmark_value, metric),
            "source": threshold.benchmark_source or _("no source given"),
        }
    if kind == ThresholdKind.COST_ABOVE_BUDGET:
        budget = (
            _("the budget line “%(line)s”")
            % {"line": threshold.budget_line.description or threshold.budget_line.get_category_display()}
            if threshold.budget_line_id
            else _("the campaign's budget")
        )
        return _("Alert when marketing cost is more than %(percent)s%% above %(budget)s") % {
            "percent": _num(threshold.percent or 0),
            "budget": budget,
        }
    if kind == ThresholdKind.TASKS_OVERDUE:
        if threshold.min_count:
            return _("Alert when more than %(count)s tasks are overdue") % {"count": threshold.min_count}
        return _("Alert when any task is overdue")
    return _("Alert when a milestone is missed")


def problems(threshold: Threshold) -> dict[str, str]:
    """Why a threshold cannot be checked, by field; empty when it can."""
    kind = threshold.kind
    found = {}
    if kind in NEEDS_TARGET and not threshold.target_id:
        found["target"] = _("Choose the target whose attainment is watched.")
    if kind in NEEDS_METRIC and measured_metric(threshold) is None:
        found["metric"] = _("Choose the metric to watch (or a target, whose metric is used).")
    if kind in NEEDS_CAMPAIGN and not (threshold.campaign_id or (threshold.target_id and threshold.target.campaign_id)):
        found["campaign"] = _("Choose the campaign.")
    if kind in (ThresholdKind.ATTAINMENT_BELOW, ThresholdKind.BENCHMARK_BELOW) and threshold.percent is None:
        found["percent"] = _("Give the percentage.")
    if threshold.percent is not None and threshold.percent < 0:
        found["percent"] = _("The percentage cannot be negative.")
    if kind == ThresholdKind.ATTAINMENT_BELOW and threshold.percent is not None and threshold.percent > 1000:
        found["percent"] = _("The percentage is out of range.")
    if kind in (ThresholdKind.VALUE_BELOW, ThresholdKind.VALUE_ABOVE):
        if threshold.bound is None:
            found["bound"] = _("Give the bound.")
        if not threshold.window_days:
            found["window_days"] = _("Give the window in days (1 or more).")
    if kind == ThresholdKind.BENCHMARK_BELOW and threshold.benchmark_value is None:
        found["benchmark_value"] = _("Give the benchmark value (e.g. the industry average).")
    if (
        kind == ThresholdKind.BENCHMARK_BELOW
        and threshold.benchmark_value is not None
        and threshold.benchmark_value <= 0
    ):
        found["benchmark_value"] = _("The benchmark must be above zero.")
    return found
