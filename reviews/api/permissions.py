"""DRF permission classes for the reviews API: thin wrappers over reviews.permissions, so the
API refuses exactly what the pages refuse."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from ..permissions import can_complete_action, can_view_reviews


class ReviewReadPermission(permissions.BasePermission):
    """Everyone signed in reads reviews, lines, lessons and the knowledge base."""

    def has_permission(self, request, view):
        return can_view_reviews(request.user)


class ActionPermission(ReviewReadPermission):
    """A follow-up action's owner (and marketing managers) mark it done."""

    message = _("Only the action's owner and marketing managers mark it done.")

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_complete_action(request.user, obj)
