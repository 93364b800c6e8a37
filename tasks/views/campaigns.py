"""The tasks part of the campaign page."""

from django.shortcuts import get_object_or_404, render

from plans.models import Campaign

from .. import permissions, selectors, services


def campaign_summary(request, pk: int):
    """The campaign page's task section: counts by status and stage, overdue tasks, next milestones."""
    campaign = get_object_or_404(Campaign, pk=pk)
    services.stages_ensure_defaults(campaign=campaign)
    data = selectors.campaign_task_summary(campaign=campaign)
    data["can_manage"] = permissions.can_manage_tasks(request.user, campaign)
    return render(request, "tasks/_campaign_summary.html", data)
