"""Threshold pages: create one on a campaign, a goal or a plan target, edit it, preview its
rule in words as the form is filled in, switch it off and on."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import submit
from core.ids import id_param
from plans.models import AnnualPlan, Campaign

from .. import permissions, selectors
from ..forms import ThresholdForm
from ..models import Threshold
from ..rules import describe, problems
from ..services import thresholds
from . import require


def _scope_of(threshold: Threshold) -> tuple[Campaign | None, AnnualPlan | None, str]:
    """The campaign or plan a threshold belongs to, and the page section it is listed in."""
    campaign = permissions.threshold_campaign(threshold)
    if campaign is not None:
        return campaign, None, f"{campaign.get_absolute_url()}#alerts"
    plan = threshold.plan or threshold.target.plan
    return None, plan, f"{plan.get_absolute_url()}#alerts"


def _threshold_page(request, *, threshold: Threshold, title: str, preview_query: str):
    campaign, plan, back = _scope_of(threshold)
    form = ThresholdForm(request.POST or None, instance=threshold, campaign=campaign, plan=plan)
    if request.method == "POST" and form.is_valid():
        values = {name: getattr(form.instance, name) for name in thresholds.THRESHOLD_FIELDS}
        recipients = list(form.cleaned_data.get("recipients") or [])
        if threshold.pk is None:
            saved = submit(form, thresholds.threshold_create, **values, recipients=recipients, by=request.user)
        else:
            saved = submit(
                form,
                thresholds.threshold_update,
                threshold=threshold,
                **values,
                recipients=recipients,
                by=request.user,
            )
        if saved:
            messages.success(request, _("The threshold is saved. %(rule)s.") % {"rule": describe(saved)})
            return redirect(back)
    owner = campaign.owner if campaign is not None else plan.owner
    scope_plan = campaign.plan if campaign is not None else plan
    return render(
        request,
        "tracking/threshold_form.html",
        {
            "form": form,
            "title": title,
            "campaign": campaign,
            "plan": plan,
            "owner": owner,
            "cancel_url": back,
            "preview_query": preview_query,
            "rule": describe(form.instance) if form.instance.kind else "",
            "warning": scope_plan.frozen_message() if scope_plan.is_frozen else "",
        },
    )


def threshold_create(request, pk: int):
    """A threshold on a campaign, or on one of its goals (``?target=``)."""
    campaign = get_object_or_404(Campaign.objects.select_related("plan", "owner"), pk=pk)
    require(permissions.can_manage_thresholds(request.user, campaign=campaign))
    threshold = Threshold(campaign=campaign)
    target_id = id_param(request.GET, "target")
    if request.method == "GET" and target_id and campaign.targets.filter(pk=target_id).exists():
        threshold.target_id = target_id
    return _threshold_page(
        request,
        threshold=threshold,
        title=_("New threshold for %(campaign)s") % {"campaign": campaign},
        preview_query=f"campaign={campaign.pk}",
    )


def plan_threshold_create(request, pk: int):
    """A threshold on a target of the annual plan."""
    plan = get_object_or_404(AnnualPlan.objects.select_related("owner"), pk=pk)
    require(permissions.can_manage_thresholds(request.user, plan=plan))
    threshold = Threshold(plan=plan)
    target_id = id_param(request.GET, "target")
    if request.method == "GET" and target_id and plan.targets.filter(pk=target_id).exists():
        threshold.target_id = target_id
    return _threshold_page(
        request,
        threshold=threshold,
        title=_("New threshold for %(plan)s") % {"plan": plan},
        preview_query=f"plan={plan.pk}",
    )


def _threshold_to_edit(request, pk: int) -> Threshold:
    threshold = get_object_or_404(selectors.threshold_list(), pk=pk)
    require(permissions.can_edit_threshold(request.user, threshold))
    return threshold


def threshold_edit(request, pk: int):
    threshold = _threshold_to_edit(request, pk)
    return _threshold_page(
        request, threshold=threshold, title=_("Edit threshold"), preview_query=f"threshold={threshold.pk}"
    )


@require_POST
def threshold_preview(request):
    """The rule in words for the form as it is being filled in (htmx), and what is missing."""
    threshold_id, campaign_id, plan_id = (id_param(request.GET, name) for name in ("threshold", "campaign", "plan"))
    if threshold_id:
        threshold = _threshold_to_edit(request, threshold_id)
    elif campaign_id:
        campaign = get_object_or_404(Campaign.objects.select_related("plan", "owner"), pk=campaign_id)
        require(permissions.can_manage_thresholds(request.user, campaign=campaign))
        threshold = Threshold(campaign=campaign)
    elif plan_id:
        plan = get_object_or_404(AnnualPlan, pk=plan_id)
        require(permissions.can_manage_thresholds(request.user, plan=plan))
        threshold = Threshold(plan=plan)
    else:
        raise Http404
    campaign, plan, _back = _scope_of(threshold)
    form = ThresholdForm(request.POST, instance=threshold, campaign=campaign, plan=plan)
    form.is_valid()  # fills the unsaved instance with what is valid so far
    instance = form.instance
    return render(
        request,
        "tracking/_rule_preview.html",
        {
            "rule": describe(instance) if instance.kind else "",
            "missing": list(problems(instance).values()) if instance.kind else [],
        },
    )


@require_POST
def threshold_set_active(request, pk: int, active: bool):
    """Switch a threshold off (its alerts and history stay) or on again."""
    threshold = _threshold_to_edit(request, pk)
    _campaign, _plan, back = _scope_of(threshold)
    try:
        thresholds.threshold_set_active(threshold=threshold, active=active, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if active:
            messages.success(request, _("The threshold is active again."))
        else:
            messages.success(request, _("The threshold is switched off; its alerts stay in the list."))
    return redirect(back)
