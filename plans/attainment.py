"""The one place that turns a target and its actual into attainment, status and pace.

Actuals are aggregated in the database (see selectors.annotate_actuals); this module is the
pure arithmetic that pages, the API, alert checks and reviews all share.

Attainment reads one way for every metric, the templates' way: actual ÷ target × 100%. The
metric's direction decides whether above 100% is good or bad: sales at 120% of their target
are a win, a cost at 107% of its budget (or a response time at 190% of its 4 hours) a miss.

Pace follows the target's quarterly split: "Q1 20%" expects 20% of the year's target by the
end of March, on a straight line within each quarter. A target without a split (a campaign's
goal) is expected on a straight line over its whole period.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Aggregation, Direction

# Below this share of what is expected, a target is off track rather than at risk
# (the template's own example threshold: 销量达成率低于80%).
AT_RISK_FLOOR = Decimal("0.8")


class Status(models.TextChoices):
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    OFF_TRACK = "off_track", _("off track")
    NO_DATA = "no_data", _("no data yet")
    NOT_STARTED = "not_started", _("not started")
    NO_TARGET = "no_target", _("no target")


@dataclass(frozen=True)
class Attainment:
    actual: Decimal | None
    target: Decimal | None
    # actual / target; None when there is no target or it is zero
    rate: Decimal | None
    # share of the period elapsed, 0…1
    elapsed: Decimal
    # what should have been reached by today on a straight line (sum metrics); else the target
    expected: Decimal | None
    # rate / elapsed for sum metrics during the period (1 = exactly on pace); None otherwise
    pace: Decimal | None
    status: str
    # the metric's direction: whether a rate above 1 is a win (higher) or a miss (lower)
    direction: str = Direction.HIGHER
    # whether what is expected follows a quarterly split rather than a straight line
    split: bool = False

    @property
    def due_percent(self) -> Decimal | None:
        """Share of the target expected by today, in percent (the elapsed share of the period
        on a straight line; with a quarterly split, what the split has made due)."""
        if self.expected is None or not self.target:
            return None
        return (self.expected / self.target * 100).quantize(Decimal("0.1"))

    @property
    def percent(self) -> Decimal | None:
        return None if self.rate is None else (self.rate * 100).quantize(Decimal("0.1"))

    @property
    def lower_is_better(self) -> bool:
        return self.direction == Direction.LOWER

    @property
    def over_target(self) -> bool:
        """The actual is above the target (a miss when lower is better, a win otherwise)."""
        return self.rate is not None and self.rate > 1

    @property
    def bar_percent(self) -> int:
        """Width of an attainment bar, 0–100."""
        return 0 if self.rate is None else max(0, min(100, int(self.rate * 100)))

    @property
    def status_label(self) -> str:
        return Status(self.status).label


def elapsed_share(*, start: date, end: date, today: date) -> Decimal:
    """Share of a period (both ends included) that has passed by the end of `today`."""
    if today < start:
        return Decimal(0)
    if today >= end:
        return Decimal(1)
    days = (end - start).days + 1
    return Decimal((today - start).days + 1) / Decimal(days)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of a calendar quarter (1–4)."""
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, last - timedelta(days=1)


def _split(quarters: Sequence[Decimal | None] | None) -> list[Decimal] | None:
    """The quarterly split as four amounts (an empty quarter is 0), or None without one."""
    if not quarters or all(value is None for value in quarters):
        return None
    split = [Decimal(value or 0) for value in quarters]
    return split if sum(split) > 0 else None


def expected_share(*, start: date, end: date, today: date, quarters: Sequence[Decimal | None] | None = None) -> Decimal:
    """Share of a summed target expected by the end of `today`, 0…1.

    Without a quarterly split, the elapsed share of the period (a straight line). With one,
    the quarters of the period's first year: each quarter's part of the split is expected on
    a straight line over that quarter (within the period), so "Q1 20%" expects 20% of the
    target by 31 March and nothing more until 1 April. A split that does not add up to the
    target is read as proportions of it.
    """
    if today < start:
        return Decimal(0)
    if today >= end:
        return Decimal(1)
    split = _split(quarters)
    if split is None:
        return elapsed_share(start=start, end=end, today=today)
    due = Decimal(0)
    for quarter, amount in enumerate(split, start=1):
        first, last = quarter_bounds(start.year, quarter)
        first, last = max(first, start), min(last, end)
        if first > last:  # the quarter lies outside the period: due before it starts, or after it ends
            due += amount if last < start else 0
            continue
        due += amount * elapsed_share(start=first, end=last, today=today)
    return due / sum(split)


def evaluate(
    *,
    actual: Decimal | None,
    target: Decimal | None,
    aggregation: str,
    direction: str,
    start: date,
    end: date,
    today: date,
    paced: bool = True,
    quarters: Sequence[Decimal | None] | None = None,
) -> Attainment:
    """Attainment of one target.

    Sum metrics accumulate over the period, so during it they are judged against the share
    of the target expected by today (pace): a straight line, or the target's quarterly split
    (`quarters`, Q1…Q4); last-value and average metrics are levels and are judged against the
    target itself. A lower-is-better metric over its target is a miss.
    """
    elapsed = elapsed_share(start=start, end=end, today=today)
    accumulates = aggregation == Aggregation.SUM
    split = accumulates and paced and _split(quarters) is not None
    if target is None or target == 0:
        return Attainment(actual, target, None, elapsed, None, None, Status.NO_TARGET, direction, split)
    rate = None if actual is None else actual / target
    due = expected_share(start=start, end=end, today=today, quarters=quarters if split else None)
    expected = target * due if accumulates and paced else target
    pace = None
    if accumulates and actual is not None and 0 < elapsed < 1 and expected:
        pace = actual / expected
    if today < start:
        return Attainment(actual, target, rate, elapsed, expected, pace, Status.NOT_STARTED, direction, split)
    if actual is None:
        return Attainment(actual, target, rate, elapsed, expected, pace, Status.NO_DATA, direction, split)
    status = _status(actual=actual, target=target, expected=expected, direction=direction)
    return Attainment(actual, target, rate, elapsed, expected, pace, status, direction, split)


@dataclass(frozen=True)
class QuarterAttainment:
    """One quarter of a target's split: its share, what was recorded in it, and how far along."""

    quarter: int
    # the quarter's part of the split, and that as a share of the target (0…1)
    amount: Decimal
    share: Decimal | None
    attainment: Attainment


def quarter_attainments(
    *,
    quarters: Sequence[Decimal | None],
    actuals: Sequence[Decimal | None],
    target: Decimal,
    direction: str,
    start: date,
    end: date,
    today: date,
) -> list[QuarterAttainment]:
    """Each quarter's actual against its part of the split (a summed target whose split is
    given): attainment within the quarter, paced on a straight line over it."""
    rows = []
    for quarter, (amount, actual) in enumerate(zip(quarters, actuals, strict=True), start=1):
        first, last = quarter_bounds(start.year, quarter)
        amount = Decimal(amount or 0)
        rows.append(
            QuarterAttainment(
                quarter=quarter,
                amount=amount,
                share=amount / target if target else None,
                attainment=evaluate(
                    actual=None if actual is None else Decimal(actual),
                    target=amount,
                    aggregation=Aggregation.SUM,
                    direction=direction,
                    start=max(first, start),
                    end=min(last, end),
                    today=today,
                ),
            )
        )
    return rows


def _status(*, actual: Decimal, target: Decimal, expected: Decimal, direction: str) -> str:
    if direction == Direction.LOWER:
        if actual > target:
            return Status.OFF_TRACK
        if actual > expected:
            return Status.AT_RISK
        return Status.ON_TRACK
    if expected <= 0 or actual >= expected:
        return Status.ON_TRACK
    if actual >= expected * AT_RISK_FLOOR:
        return Status.AT_RISK
    return Status.OFF_TRACK
