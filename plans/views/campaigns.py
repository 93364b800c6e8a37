"""Pages of campaigns: create, the campaign hub with its goal chart, edit, status."""

import json
from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.dates import clamp_date
from core.forms import submit

from .. import permissions, selectors, services
from ..attainment import expected_share
from ..forms import CampaignForm, StatusForm
from ..models import Aggregation, AnnualPlan, Campaign, CampaignStatus, Target
from ..ranking import recent_ranking
from ..services import CAMPAIGN_ORDER
from .base import form_page, require


def campaign_create(request, pk: int, *, create=services.campaign_create, aside_url: str = ""):
    """The new campaign page. `create` is the service that creates it: the project's URLconf
    serves this page through tasks.views.campaigns, which passes the tasks layer's service
    (the campaign and its stages at once); `aside_url`, a panel beside the form (reviews'
    lessons of past campaigns)."""
    plan = get_object_or_404(AnnualPlan, pk=pk)
    require(permissions.can_create_campaign(request.user))
    form = CampaignForm(request.POST or None, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        campaign = submit(form, create, plan=plan, by=request.user, **form.cleaned_data)
        if campaign:
            messages.success(
                request, _("The campaign has been created. Restate its goals and split them into sub-goals.")
            )
            return redirect(campaign)
    return form_page(
        request,
        form,
        title=_("New campaign of %(plan)s") % {"plan": plan},
        cancel_url=plan.get_absolute_url(),
        warning=plan.frozen_message() if plan.is_frozen else "",
        aside_url=aside_url,
    )


def campaign_detail(request, pk: int):
    data = selectors.campaign_detail(campaign_id=pk)
    if data is None:
        raise Http404
    campaign = data["campaign"]
    user = request.user
    current = CAMPAIGN_ORDER.index(campaign.status)
    may_edit = permissions.can_edit_campaign(user, campaign)
    data.update(
        # A campaign of a closed plan is frozen: it still moves to its review and archive.
        can_edit=may_edit and not campaign.plan.is_frozen,
        can_edit_goals=may_edit
        and not campaign.plan.is_frozen
        and permissions.goals_editable_directly(user, campaign=campaign),
        can_move=may_edit,
        can_record=permissions.can_record_values(user, campaign),
        next_status=CAMPAIGN_ORDER[current + 1] if current + 1 < len(CAMPAIGN_ORDER) else None,
        chart=_goal_chart(data["goals"], today=data["today"]),
        ranking=recent_ranking(plan=campaign.plan, campaign=campaign, today=data["today"]),
    )
    return render(request, "plans/campaign_detail.html", data)


def _goal_chart(goals: list[Target], *, today: date) -> dict | None:
    """Cumulative actual of the headline goal against its pace: a straight line to its target,
    or its quarterly split when it has one (plans.attainment.expected_share)."""
    headline = next((goal for goal in goals if goal.metric.aggregation == Aggregation.SUM), None)
    if headline is None:
        return None
    series = selectors.goal_daily_totals(target=headline)
    # Clamped: a period stored before dates were bounded may span millennia.
    start, end = clamp_date(headline.period_start), clamp_date(headline.period_end)
    days = (end - start).days + 1
    labels, actual, pace, running = [], [], [], 0.0
    for offset in range(days):
        day = start.fromordinal(start.toordinal() + offset)
        labels.append(day.isoformat())
        share = expected_share(
            start=headline.period_start, end=headline.period_end, today=day, quarters=headline.quarters
        )
        pace.append(round(float(headline.target_value * share), 2))
        if day <= today:
            running += series.get(day, 0.0)
            actual.append(round(running, 2))
    return {
        "title": headline.label,
        "json": json.dumps(
            {
                "labels": labels,
                "actual": actual,
                "pace": pace,
                "actualLabel": _("Actual (cumulative)"),
                "paceLabel": _("Target pace"),
            }
        ),
    }


def campaign_edit(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    require(permissions.can_edit_campaign(request.user, campaign))
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        if submit(
            form,
            services.campaign_update,
            campaign=campaign,
            override=services.FrozenOverride.administrator(request.user),
            **form.cleaned_data,
        ):
            messages.success(request, _("The campaign has been saved."))
            return redirect(campaign)
    return form_page(
        request,
        form,
        title=_("Edit campaign"),
        cancel_url=campaign.get_absolute_url(),
        warning=campaign.plan.frozen_message() if campaign.plan.is_frozen else "",
    )


@require_POST
def campaign_status(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    require(permissions.can_edit_campaign(request.user, campaign))
    form = StatusForm(request.POST)
    if not form.is_valid() or form.cleaned_data["status"] not in CampaignStatus.values:
        messages.error(request, _("Unknown status."))
        return redirect(campaign)
    try:
        services.campaign_set_status(
            campaign=campaign, status=form.cleaned_data["status"], by=request.user, force=request.user.is_staff
        )
    except services.ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The campaign is now %(status)s.") % {"status": campaign.get_status_display()})
    return redirect(campaign)
