"""Writes for warning thresholds (预警阈值): create, change, switch off and on."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from plans.services import ensure_plan_open

from ..models import Threshold
from ..rules import problems

# What a person sets on a threshold (its scope, its rule, its severity, whether it is active).
THRESHOLD_FIELDS = (
    "kind",
    "target",
    "campaign",
    "plan",
    "metric",
    "channel",
    "percent",
    "paced",
    "bound",
    "window_days",
    "benchmark_value",
    "benchmark_source",
    "budget_line",
    "min_count",
    "severity",
    "is_active",
)


def threshold_create(*, kind: str, by: User | None = None, recipients: Iterable[User] = (), **fields: Any) -> Threshold:
    """Create a threshold after checking it can be evaluated (messages by field)."""
    threshold = Threshold(created_by=by)
    return _save(threshold, {"kind": kind, **fields}, recipients=list(recipients or []), by=by)


def threshold_update(
    *, threshold: Threshold, by: User | None = None, recipients: Iterable[User] | None = None, **changes: Any
) -> Threshold:
    """Change a threshold's scope, rule, severity or recipients (same checks as creating)."""
    return _save(threshold, changes, recipients=None if recipients is None else list(recipients), by=by)


def threshold_set_active(*, threshold: Threshold, active: bool, by: User | None = None) -> Threshold:
    """Switch a threshold off (its alerts and history stay) or on again. A threshold of a
    closed plan can still be switched off, so that it stops raising alerts; nothing else."""
    if not active:
        threshold.is_active = False
        if by is not None:
            threshold._history_user = by
        threshold.save(update_fields=["is_active", "updated_at"])
        return threshold
    return _save(threshold, {"is_active": active}, recipients=None, by=by)


def _plan_of(threshold: Threshold):
    """The plan a threshold belongs to: its own, its campaign's or its target's."""
    if threshold.plan_id:
        return threshold.plan
    if threshold.campaign_id:
        return threshold.campaign.plan
    if threshold.target_id:
        target = threshold.target
        return target.plan if target.plan_id else target.campaign.plan
    return None


@transaction.atomic
def _save(threshold: Threshold, values: dict[str, Any], *, recipients: list[User] | None, by: User | None) -> Threshold:
    unknown = set(values) - set(THRESHOLD_FIELDS)
    if unknown:
        raise TypeError(f"Not a threshold field: {', '.join(sorted(unknown))}")
    if threshold.pk:
        ensure_plan_open(_plan_of(threshold))  # as it was: nothing moves out of a closed plan
    for name, value in values.items():
        setattr(threshold, name, value)
    ensure_plan_open(_plan_of(threshold))
    found = problems(threshold)
    if found:
        raise ValidationError(found)
    if threshold.target_id and not threshold.campaign_id and threshold.target.campaign_id:
        threshold.campaign = threshold.target.campaign
    if threshold.target_id and not threshold.plan_id and threshold.target.plan_id:
        threshold.plan = threshold.target.plan
    if by is not None:
        threshold._history_user = by
    threshold.full_clean()
    threshold.save()
    if recipients is not None:
        threshold.recipients.set(recipients)
    return threshold
