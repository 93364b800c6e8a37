from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from ..permissions import can_view_notification, can_view_webhooks


class NotificationPermission(permissions.BasePermission):
    """Notifications are private to their recipient."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        return can_view_notification(request.user, obj)


class WebhookPermission(permissions.BasePermission):
    message = _("Only administrators see the chat webhooks.")

    def has_permission(self, request, view):
        return can_view_webhooks(request.user)
