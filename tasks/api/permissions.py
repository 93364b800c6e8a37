"""DRF permission classes for the tasks API: thin wrappers over tasks.permissions, so the
API refuses exactly what the pages refuse.

Reads are open to everyone signed in; the viewsets' querysets decide which rows they see.
A write to an existing row is decided per object (has_object_permission); a create is
decided once the row's campaign or task is known: the viewset calls
``check_object_permissions`` with that campaign or task.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from plans.models import Campaign

from ..models import Assignment, Task
from ..permissions import can_change_status, can_manage_tasks

SAFE_METHODS = permissions.SAFE_METHODS


def _signed_in(request) -> bool:
    return bool(request.user and request.user.is_authenticated)


class ManageTasksPermission(permissions.BasePermission):
    """Stages, milestones, tasks and C/I assignments are changed by the campaign's owner and
    marketing managers. The object is the row or, on create, its campaign."""

    message = _("Only the campaign's owner and marketing managers change its tasks, stages, milestones and roles.")

    def has_permission(self, request, view):
        return _signed_in(request)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        if isinstance(obj, Campaign):
            campaign = obj
        elif isinstance(obj, Assignment):
            campaign = obj.task.campaign
        else:
            campaign = obj.campaign
        return can_manage_tasks(request.user, campaign)


class StatusUpdatePermission(permissions.BasePermission):
    """Only a task's Responsible and its Accountable record its status updates, whatever
    their role. The object, on create, is the task."""

    message = _("Only the task's Responsible and Accountable change its status.")

    def has_permission(self, request, view):
        return _signed_in(request)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return isinstance(obj, Task) and can_change_status(request.user, obj)
