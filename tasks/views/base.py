"""What the pages of tasks share."""

from django.core.exceptions import PermissionDenied


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied
