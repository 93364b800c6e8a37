"""Campaign pages of the tasks layer: creating a campaign with its stages, and the tasks part
of the campaign page."""

from django.shortcuts import get_object_or_404, render

from plans.models import Campaign
from plans.views import campaigns as plans_campaigns

from .. import permissions, selectors, services


def campaign_create(request, pk: int, *, aside_url: str = ""):
    """plans' new campaign page, creating the campaign with the template's four stages. The
    project's URLconf serves it at plans' URL and name (plans:campaign_create), through
    reviews (which adds its lessons panel): plans cannot import tasks."""
    return plans_campaigns.campaign_create(request, pk, create=services.campaign_create, aside_url=aside_url)


def campaign_summary(request, pk: int):
    """The campaign page's task section: counts by status and stage, overdue tasks, next milestones."""
    campaign = get_object_or_404(Campaign, pk=pk)
    data = selectors.campaign_task_summary(campaign=campaign)
    data["can_manage"] = permissions.can_manage_tasks(request.user, campaign)
    return render(request, "tasks/_campaign_summary.html", data)
