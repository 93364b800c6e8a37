"""The campaign timeline page: stages, tasks and milestones as a Gantt chart drawn server-side in SVG."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from plans.models import Campaign
from plans.permissions import can_view_plans

from .. import selectors


def timeline(request, pk: int):
    """Everyone who reads the campaign sees its timeline, with the tasks they may see."""
    if not can_view_plans(request.user):
        raise PermissionDenied
    campaign = Campaign.objects.select_related("plan", "owner").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    today = timezone.localdate()
    stages = selectors.stage_list(campaign=campaign)
    layout = selectors.campaign_timeline(campaign=campaign, stages=stages, user=request.user, today=today)
    return render(request, "tasks/timeline.html", {"campaign": campaign, "layout": layout, "today": today})
