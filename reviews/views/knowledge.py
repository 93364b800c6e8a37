"""The knowledge base (知识库): searching archived reviews and lessons, and the lessons panel
beside a planner's form."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from plans.models import CampaignType, Channel, Metric
from plans.views.base import require

from .. import permissions
from ..search import Filters, lessons_for_planner, search


class SearchForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Keywords"), required=False, max_length=200)
    campaign_type = forms.ChoiceField(
        label=_("campaign type"), required=False, choices=[("", "—"), *CampaignType.choices]
    )
    channel = forms.ModelChoiceField(label=_("channel"), required=False, queryset=Channel.objects.all())
    metric = forms.ModelChoiceField(label=_("metric"), required=False, queryset=Metric.objects.all())
    tag = forms.CharField(label=_("tag"), required=False, max_length=50)
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)


def knowledge_search(request):
    require(permissions.can_view_reviews(request.user))
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        data = form.cleaned_data
        filters = Filters(
            campaign_type=data["campaign_type"],
            channel=data["channel"].pk if data["channel"] else None,
            metric=data["metric"].pk if data["metric"] else None,
            tag=data["tag"].strip(),
            year=data["year"],
        )
        results = search(query=data["q"], filters=filters)
    elif not request.GET:
        results = search(query="")
    return render(request, "reviews/knowledge.html", {"form": form, "results": results})


def lessons_panel(request):
    """The lessons of past campaigns of a type, for the side of a planner's form (htmx)."""
    require(permissions.can_view_reviews(request.user))
    campaign_type = request.GET.get("type", "")
    lessons = []
    if campaign_type in CampaignType.values:
        lessons = lessons_for_planner(campaign_type=campaign_type, name=request.GET.get("name", "")[:200])
    return render(request, "reviews/_lessons_panel.html", {"lessons": lessons, "campaign_type": campaign_type})


def campaign_create(request, pk: int):
    """The new campaign page (plans' form, tasks' service) with the lessons of past campaigns
    of the chosen type beside it. The project's URLconf serves it as plans:campaign_create."""
    from django.urls import reverse

    from tasks.views import campaigns as tasks_campaigns

    return tasks_campaigns.campaign_create(request, pk, aside_url=reverse("reviews:lessons_panel"))
