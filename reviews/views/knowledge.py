"""The knowledge base (知识库): searching archived reviews and lessons, and the lessons panel
beside a planner's form."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from plans.models import Campaign, CampaignType
from plans.views.base import require

from .. import permissions
from ..forms import KnowledgeSearchForm
from ..search import lessons_for_campaign, lessons_for_planner, search


def knowledge_search(request):
    require(permissions.can_view_reviews(request.user))
    form = KnowledgeSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = search(query=form.cleaned_data["q"], filters=form.filters())
    elif not request.GET:
        results = search(query="")
    return render(request, "reviews/knowledge.html", {"form": form, "results": results})


def lessons_panel(request):
    """The lessons of past campaigns for the side of a planner's form or page (fetched by
    static/js/lessons_panel.js): of a type (?type=, ?name= ranks those sharing its words
    first), or of one campaign's type and channels (?campaign=); three queries at most."""
    require(permissions.can_view_reviews(request.user))
    campaign = None
    campaign_id = request.GET.get("campaign", "")
    if campaign_id:
        valid = campaign_id.isascii() and campaign_id.isdigit() and int(campaign_id) < 2**63
        campaign = Campaign.objects.filter(pk=int(campaign_id)).first() if valid else None
        if campaign is None:
            raise Http404
        lessons = lessons_for_campaign(campaign=campaign)
        campaign_type = campaign.type
    else:
        campaign_type = request.GET.get("type", "")
        lessons = []
        if campaign_type in CampaignType.values:
            lessons = lessons_for_planner(campaign_type=campaign_type, name=request.GET.get("name", "")[:200])
    return render(
        request,
        "reviews/_lessons_panel.html",
        {"lessons": lessons, "campaign_type": campaign_type, "campaign": campaign},
    )


def _panel_url(campaign_id: int) -> str:
    return reverse("reviews:lessons_panel") + "?" + urlencode({"campaign": campaign_id})


def campaign_create(request, pk: int):
    """The new campaign page (plans' form, tasks' service) with the lessons of past campaigns
    of the chosen type beside it. The project's URLconf serves it as plans:campaign_create."""
    from tasks.views import campaigns as tasks_campaigns

    return tasks_campaigns.campaign_create(request, pk, aside_url=reverse("reviews:lessons_panel"))


def task_create(request, pk: int):
    """The new task page of a campaign (tasks' form) with the lessons of past campaigns of the
    campaign's type and channels beside it. Served as tasks:task_create."""
    from tasks.views import tasks as tasks_tasks

    return tasks_tasks.task_create(request, pk, aside_url=_panel_url(pk))


def campaign_review(request, pk: int):
    """The campaign's weekly review page (tracking's) with the lessons of past campaigns of its
    type and channels beside the week's log. Served as tracking:campaign_review."""
    from tracking.views import weekly

    return weekly.campaign_review(request, pk, aside_url=_panel_url(pk))
