"""Who may see notifications and webhooks: the same predicates for pages and API."""

from accounts.permissions import is_administrator, is_marketing_manager

from .models import Notification


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def can_view_notification(user, notification: Notification) -> bool:
    """Notifications are private to their recipient."""
    return _signed_in(user) and notification.recipient_id == user.pk


def can_view_webhooks(user) -> bool:
    """The webhooks API lists every chat group's address: administrators only."""
    return is_administrator(user)


def can_manage_department_webhooks(user) -> bool:
    """Departments' chat groups are set up by marketing managers (and administrators)."""
    return _signed_in(user) and (is_administrator(user) or is_marketing_manager(user))
