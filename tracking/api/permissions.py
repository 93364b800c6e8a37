"""DRF permission classes for the tracking API: thin wrappers over tracking.permissions, so
the API refuses exactly what the pages refuse.

Reads are open to everyone signed in. A write to an existing row is decided per object; a new threshold is decided once
its campaign or plan is known: the viewset calls ``check_object_permissions`` with it.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from plans.models import AnnualPlan, Campaign

from ..models import Alert, Threshold
from ..permissions import (
    can_edit_threshold,
    can_manage_thresholds,
    can_respond_to_alert,
    can_view_alerts,
)

SAFE_METHODS = permissions.SAFE_METHODS


class ThresholdPermission(permissions.BasePermission):
    """Marketing managers, and a campaign's owner for their campaign, create and change
    thresholds. The object is the threshold or, on create, its campaign or plan."""

    message = _("Only marketing managers and the campaign's owner set its thresholds.")

    def has_permission(self, request, view):
        return can_view_alerts(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        if isinstance(obj, Threshold):
            return can_edit_threshold(request.user, obj)
        if isinstance(obj, Campaign):
            return can_manage_thresholds(request.user, campaign=obj)
        if isinstance(obj, AnnualPlan):
            return can_manage_thresholds(request.user, plan=obj)
        return False


class AlertPermission(permissions.BasePermission):
    """Everyone signed in reads alerts; the campaign's owner, marketing managers and the
    people the alert was sent to acknowledge and resolve it."""

    message = _("Only the campaign's owner, marketing managers and the people it was sent to answer an alert.")

    def has_permission(self, request, view):
        return can_view_alerts(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return isinstance(obj, Alert) and can_respond_to_alert(request.user, obj)
