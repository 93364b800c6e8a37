"""The campaign timeline page: stages, tasks and milestones as a Gantt chart drawn server-side in SVG."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from plans.models import Campaign
from plans.permissions import can_view_plans

from .models import Milestone, Task
from .services import stages_ensure_defaults
from .timeline import Timeline, build_timeline


def campaign_timeline(*, campaign: Campaign, user, today: date) -> Timeline:
    """The laid-out timeline of a campaign as a person sees it (only tasks they may see), in fixed queries."""
    stages = stages_ensure_defaults(campaign=campaign)  # a new campaign shows the template's four stages
    milestones = Milestone.objects.filter(campaign=campaign).only("pk", "stage_id", "name", "due_date", "reached_on")
    tasks = (
        Task.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("responsible")
        .only(
            "pk",
            "stage_id",
            "milestone_id",
            "name",
            "start_date",
            "due_date",
            "status",
            "progress",
            "responsible__name",
            "responsible__first_name",
            "responsible__last_name",
            "responsible__username",
        )
    )
    return build_timeline(
        campaign_start=campaign.start_date,
        campaign_end=campaign.end_date,
        stages=stages,
        milestones=milestones,
        tasks=tasks,
        today=today,
    )


def timeline(request, pk: int):
    """Everyone who reads the campaign sees its timeline, with the tasks they may see."""
    if not can_view_plans(request.user):
        raise PermissionDenied
    campaign = Campaign.objects.select_related("plan", "owner").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    today = timezone.localdate()
    layout = campaign_timeline(campaign=campaign, user=request.user, today=today)
    return render(request, "tasks/timeline.html", {"campaign": campaign, "layout": layout, "today": today})
