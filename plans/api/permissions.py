"""DRF permission classes for the plans API: thin wrappers over plans.permissions, so the
API refuses exactly what the pages refuse.

Reads are open to everyone signed in. A write to an existing row is decided per object
(has_object_permission); a create is decided once the row's plan or campaign is known: the
viewset calls ``check_object_permissions`` with that plan or campaign.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts.permissions import is_administrator

from ..models import AnnualPlan, Campaign, Target
from ..permissions import (
    can_create_campaign,
    can_create_plan,
    can_edit_campaign,
    can_edit_plan,
    can_view_plans,
)

SAFE_METHODS = permissions.SAFE_METHODS


def _may_edit_plan(permission, user, plan: AnnualPlan) -> bool:
    """can_edit_plan, with the refusal saying that the plan is closed when that is why."""
    if plan.is_frozen:
        permission.message = plan.frozen_message()
    return can_edit_plan(user, plan)


class ReferenceDataPermission(permissions.BasePermission):
    """Channels and the metric dictionary: everyone signed in reads, administrators change."""

    message = _("Only administrators change channels and the metric dictionary.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return can_view_plans(request.user)
        return is_administrator(request.user)


class PlanPermission(permissions.BasePermission):
    """Annual plans: managers create and edit them (a closed plan is frozen). Status moves
    depend on the status asked for, so PlanViewSet.status decides them with can_move_plan."""

    message = _("You may not change this plan.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or view.action != "create":
            return can_view_plans(request.user)
        return can_create_plan(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS or view.action == "status":
            return True
        return _may_edit_plan(self, request.user, obj)


class PlanPartPermission(permissions.BasePermission):
    """A plan's sections, quarterly focus and budget lines are changed by whoever may edit
    the plan. The object is the row (with a ``plan``) or, on create, the plan itself."""

    message = _("You may not change this plan.")

    def has_permission(self, request, view):
        return can_view_plans(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        plan = obj if isinstance(obj, AnnualPlan) else obj.plan
        return _may_edit_plan(self, request.user, plan)


class TargetPermission(permissions.BasePermission):
    """Plan targets follow can_edit_plan; campaign goals and their sub-goals follow
    can_edit_campaign. The object is the target or, on create, its plan or campaign."""

    message = _("You may not change the goals of this plan or campaign.")

    def has_permission(self, request, view):
        return can_view_plans(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        scope = (obj.plan if obj.plan_id else obj.campaign) if isinstance(obj, Target) else obj
        if isinstance(scope, AnnualPlan):
            return _may_edit_plan(self, request.user, scope)
        if isinstance(scope, Campaign):
            return can_edit_campaign(request.user, scope)
        return False


class CampaignPermission(permissions.BasePermission):
    """Managers create campaigns; managers and the campaign's owner change them and move
    their status."""

    message = _("You may not change this campaign.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or view.action != "create":
            return can_view_plans(request.user)
        return can_create_campaign(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return can_edit_campaign(request.user, obj)


class MetricValuePermission(permissions.BasePermission):
    """Everyone signed in reads values; who may record them is decided row by row, with
    can_record_values, once each row's campaign is known (see MetricValueViewSet)."""

    def has_permission(self, request, view):
        return can_view_plans(request.user)
