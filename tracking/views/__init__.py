"""Pages of tracking, one module per concern: alerts, thresholds, chat webhooks."""

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    """Refuse the request (403) unless the permission predicate allowed it."""
    if not allowed:
        raise PermissionDenied
