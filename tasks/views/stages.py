"""Pages of a campaign's stages and milestones."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.forms import submit
from core.ids import id_param
from plans.models import Campaign

from .. import permissions, selectors, services
from ..forms import MilestoneForm, StageForm
from ..models import Milestone
from .base import require


def stage_list(request, pk: int):
    """The campaign's stages: rename, reorder, add."""
    campaign = get_object_or_404(Campaign, pk=pk)
    can_manage = permissions.can_manage_tasks(request.user, campaign)
    stages = selectors.stage_list(campaign=campaign)
    form = StageForm(request.POST or None, initial={"position": len(stages)})
    if request.method == "POST":
        require(can_manage)
        stage = None
        stage_id = id_param(request.POST, "stage")
        if stage_id:
            stage = get_object_or_404(campaign.stages, pk=stage_id)
            form = StageForm(request.POST, instance=stage)
        if form.is_valid() and submit(
            form, services.stage_save, campaign=campaign, stage=stage, by=request.user, **form.cleaned_data
        ):
            return redirect("tasks:stage_list", pk=campaign.pk)
    return render(
        request,
        "tasks/stage_list.html",
        {
            "campaign": campaign,
            "stages": selectors.stage_list(campaign=campaign),
            "form": form,
            "can_manage": can_manage,
        },
    )


def milestone_create(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    require(permissions.can_manage_tasks(request.user, campaign))
    form = MilestoneForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        if submit(form, services.milestone_save, campaign=campaign, by=request.user, **form.cleaned_data):
            return redirect(campaign)
    return render(request, "tasks/task_form.html", {"form": form, "campaign": campaign, "title": _("New milestone")})


def milestone_edit(request, pk: int):
    milestone = get_object_or_404(Milestone.objects.select_related("campaign"), pk=pk)
    require(permissions.can_manage_tasks(request.user, milestone.campaign))
    form = MilestoneForm(request.POST or None, instance=milestone, campaign=milestone.campaign)
    if request.method == "POST" and form.is_valid():
        if submit(
            form,
            services.milestone_save,
            campaign=milestone.campaign,
            milestone=milestone,
            by=request.user,
            **form.cleaned_data,
        ):
            return redirect(milestone.campaign)
    return render(
        request, "tasks/task_form.html", {"form": form, "campaign": milestone.campaign, "title": _("Edit milestone")}
    )
