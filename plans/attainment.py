"""The one place that turns a target and its actual into attainment, status and pace.

Actuals are aggregated in the database (see selectors.annotate_actuals); this module is the
pure arithmetic that pages, the API, alert checks and reviews all share.

Attainment reads one way for every metric, the templates' way: actual ÷ target × 100%. The
metric's direction decides whether above 100% is good or bad: sales at 120% of their target
are a win, a cost at 107% of its budget (or a response time at 190% of its 4 hours) a miss.
"""

from dataclasses import dataclass
from datetime import date
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
) -> Attainment:
    """Attainment of one target.

    Sum metrics accumulate over the period, so during it they are judged against the
    straight-line share of the target (pace); last-value and average metrics are levels and
    are judged against the target itself. A lower-is-better metric over its target is a miss.
    """
    elapsed = elapsed_share(start=start, end=end, today=today)
    if target is None or target == 0:
        return Attainment(actual, target, None, elapsed, None, None, Status.NO_TARGET, direction)
    rate = None if actual is None else actual / target
    accumulates = aggregation == Aggregation.SUM
    expected = target * elapsed if accumulates and paced else target
    pace = None
    if accumulates and rate is not None and 0 < elapsed < 1:
        pace = rate / elapsed
    if today < start:
        return Attainment(actual, target, rate, elapsed, expected, pace, Status.NOT_STARTED, direction)
    if actual is None:
        return Attainment(actual, target, rate, elapsed, expected, pace, Status.NO_DATA, direction)
    status = _status(actual=actual, target=target, expected=expected, direction=direction)
    return Attainment(actual, target, rate, elapsed, expected, pace, status, direction)


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
