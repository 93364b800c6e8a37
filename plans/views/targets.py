"""Pages of the goals of plans and campaigns, and their sub-goals."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from core.forms import submit

from .. import permissions, services
from ..forms import TargetForm
from ..models import AnnualPlan, Campaign, Target
from ..services import TargetInput
from .base import confirm_delete, form_page, require


def _target_page(request, *, form, title: str, cancel_url: str, save, plan: AnnualPlan):
    if request.method == "POST" and form.is_valid():
        target = submit(form, save, data=TargetInput(**form.cleaned_data))
        if target:
            messages.success(request, _("The target has been saved."))
            return redirect(cancel_url)
    warning = plan.frozen_message() if plan.is_frozen else ""
    return form_page(request, form, title=title, cancel_url=cancel_url, warning=warning)


def plan_target_create(request, pk: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    require(permissions.can_edit_plan(request.user, plan))
    form = TargetForm(request.POST or None)
    return _target_page(
        request,
        form=form,
        title=_("New target of %(plan)s") % {"plan": plan},
        cancel_url=f"{plan.get_absolute_url()}#targets",
        save=lambda data: services.target_save(
            data=data, plan=plan, override=services.FrozenOverride.administrator(request.user)
        ),
        plan=plan,
    )


def campaign_target_create(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("plan"), pk=pk)
    require(permissions.can_edit_campaign(request.user, campaign))
    form = TargetForm(request.POST or None, quarterly=False)
    return _target_page(
        request,
        form=form,
        title=_("New goal of %(campaign)s") % {"campaign": campaign},
        cancel_url=campaign.get_absolute_url(),
        save=lambda data: services.target_save(
            data=data, campaign=campaign, override=services.FrozenOverride.administrator(request.user)
        ),
        plan=campaign.plan,
    )


def _target_scope(target: Target):
    """The page a target lives on, and whether the user may edit it."""
    if target.campaign_id:
        return target.campaign.get_absolute_url(), lambda user: permissions.can_edit_campaign(user, target.campaign)
    return f"{target.plan.get_absolute_url()}#targets", lambda user: permissions.can_edit_plan(user, target.plan)


def subgoal_create(request, pk: int):
    parent = get_object_or_404(Target.objects.select_related("plan", "campaign", "metric"), pk=pk)
    cancel_url, may_edit = _target_scope(parent)
    require(may_edit(request.user))
    form = TargetForm(request.POST or None, parent=parent, quarterly=parent.plan_id is not None)
    return _target_page(
        request,
        form=form,
        title=_("New sub-goal of %(goal)s") % {"goal": parent.label},
        cancel_url=cancel_url,
        save=lambda data: services.target_save(
            data=data, parent=parent, override=services.FrozenOverride.administrator(request.user)
        ),
        plan=parent.plan or parent.campaign.plan,
    )


def target_edit(request, pk: int):
    target = get_object_or_404(Target.objects.select_related("plan", "campaign", "metric", "parent"), pk=pk)
    cancel_url, may_edit = _target_scope(target)
    require(may_edit(request.user))
    form = TargetForm(request.POST or None, instance=target, parent=target.parent, quarterly=target.plan_id is not None)
    return _target_page(
        request,
        form=form,
        title=_("Edit %(goal)s") % {"goal": target.label},
        cancel_url=cancel_url,
        save=lambda data: services.target_save(
            data=data, target=target, override=services.FrozenOverride.administrator(request.user)
        ),
        plan=target.plan or target.campaign.plan,
    )


def target_delete(request, pk: int):
    target = get_object_or_404(Target.objects.select_related("plan", "campaign", "metric"), pk=pk)
    cancel_url, may_edit = _target_scope(target)
    require(may_edit(request.user))
    return confirm_delete(
        request,
        obj=target,
        cancel_url=cancel_url,
        on_delete=lambda: services.target_delete(
            target=target, override=services.FrozenOverride.administrator(request.user)
        ),
    )
