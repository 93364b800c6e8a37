"""An alert's figures in what its threshold measures: the watched metric's unit, money for a
cost threshold, a whole number of tasks or milestones (through plans.formatting)."""

from plans.formatting import format_in_unit
from plans.models import Unit

from .models import Threshold, ThresholdKind
from .rules import measured_metric

COUNTED = {ThresholdKind.TASKS_OVERDUE, ThresholdKind.MILESTONE_MISSED}


def figure_unit(threshold: Threshold) -> str | None:
    """The unit of a threshold's observed and expected values."""
    if threshold.kind == ThresholdKind.COST_ABOVE_BUDGET:
        return Unit.CURRENCY
    if threshold.kind in COUNTED:
        return Unit.COUNT
    metric = measured_metric(threshold)
    return metric.unit if metric is not None else None


def format_figure(value, threshold: Threshold, *, language: str | None = None) -> str:
    """An observed or expected value of a threshold's alert, as people read it."""
    return format_in_unit(value, figure_unit(threshold), language=language)
