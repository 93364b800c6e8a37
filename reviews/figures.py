"""Form 4's figures for a review's lines: target, actual and attainment, from the campaign's
goals and recorded values through plans' one attainment computation (never typed, never
computed here). A line whose goal was adjusted during the campaign also reads against the
original target. A draft follows live data; a final review reads what was frozen."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from plans.attainment import Attainment, evaluate
from plans.models import Direction, Metric, Target, Unit
from plans.selectors import attainment_of

from .models import Dimension, ReviewLine


@dataclass(frozen=True)
class Figures:
    target: Decimal | None
    original_target: Decimal | None
    actual: Decimal | None
    # attainment in percent (actual ÷ target × 100), and against the original target
    attainment: Decimal | None
    original_attainment: Decimal | None
    direction: str

    @property
    def adjusted(self) -> bool:
        return self.original_target is not None and self.original_target != self.target

    @property
    def met(self) -> bool | None:
        """Whether the goal was met (a lower-is-better one at or under its target)."""
        if self.attainment is None:
            return None
        return self.attainment <= 100 if self.direction == Direction.LOWER else self.attainment >= 100


def _as_of(target: Target, today: date) -> date:
    # A review reads the whole period: judged as of its end at the earliest.
    return max(today, target.period_end)


def _percent(attainment: Attainment) -> Decimal | None:
    return attainment.percent


def live_figures(target: Target, *, today: date) -> Figures:
    """The figures of a goal annotated with its actual (plans.selectors.target_list)."""
    as_of = _as_of(target, today)
    attainment = attainment_of(target, today=as_of)
    original = None
    if target.is_adjusted:
        original = _percent(
            evaluate(
                actual=attainment.actual,
                target=target.original_value,
                aggregation=target.metric.aggregation,
                direction=target.metric.direction,
                start=target.period_start,
                end=target.period_end,
                today=as_of,
                quarters=target.quarters,
            )
        )
    return Figures(
        target=target.target_value,
        original_target=target.original_value if target.is_adjusted else None,
        actual=attainment.actual,
        attainment=_percent(attainment),
        original_attainment=original,
        direction=target.metric.direction,
    )


def frozen_figures(line: ReviewLine) -> Figures:
    return Figures(
        target=line.target_value,
        original_target=line.original_target,
        actual=line.actual,
        attainment=line.attainment,
        original_attainment=line.original_attainment,
        direction=line.direction,
    )


def dimension_of(target: Target) -> str:
    """Form 4's dimension a goal most likely belongs to (the team may change it)."""
    metric: Metric = target.metric
    if metric.is_derived and metric.unit == Unit.RATIO:
        return Dimension.OVERALL
    if metric.is_cost:
        return Dimension.COST
    return {"performance": Dimension.SALES, "customer": Dimension.USER_GROWTH, "brand": Dimension.REACH}.get(
        target.category, Dimension.OTHER
    )
