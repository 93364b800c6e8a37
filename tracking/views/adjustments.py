"""Pages of adjustments (动态调整): a campaign's and a plan's requests, the request form per
kind with its before → after preview, the approval page with the diff, and the decisions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import submit
from plans.models import AnnualPlan, Campaign

from .. import adjustment_selectors as selectors
from .. import permissions
from ..adjustment_forms import AdjustmentRequestForm, ApproveForm, RejectForm
from ..models import Adjustment, AdjustmentKind, Alert, ChangeSubject, Issue
from ..services import adjustments as services
from . import require


def _panel(request, *, campaign=None, plan=None):
    today = timezone.localdate()
    if campaign is not None:
        groups = selectors.campaign_adjustments(campaign=campaign, today=today)
        plan = campaign.plan
    else:
        groups = selectors.plan_adjustments(plan=plan, today=today)
    may_request = permissions.can_request_adjustment(
        request.user, plan=plan, campaign=campaign, kind=AdjustmentKind.TARGET
    )
    return {
        "campaign": campaign,
        "plan": plan,
        "groups": groups,
        "kinds": AdjustmentKind.choices if may_request else [],
        "schedule_only": campaign is not None and not may_request and _own_tasks(request.user, campaign),
    }


def _own_tasks(user, campaign) -> list:
    return selectors.user_schedule_tasks(user=user, campaign=campaign) if user.is_authenticated else []


def campaign_adjustments_panel(request, pk: int):
    """The adjustments card of the campaign page (loaded by htmx)."""
    campaign = get_object_or_404(Campaign.objects.select_related("plan", "owner"), pk=pk)
    return render(request, "tracking/_adjustments_panel.html", _panel(request, campaign=campaign))


def plan_adjustments_panel(request, pk: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    return render(request, "tracking/_adjustments_panel.html", _panel(request, plan=plan))


def campaign_adjustments(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("plan", "owner"), pk=pk)
    return render(request, "tracking/adjustment_list.html", _panel(request, campaign=campaign))


def plan_adjustments(request, pk: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    return render(request, "tracking/adjustment_list.html", _panel(request, plan=plan))


def _request_page(request, *, kind: str, plan: AnnualPlan, campaign: Campaign | None):
    if kind not in AdjustmentKind.values:
        raise Http404
    user = request.user
    tasks = None
    if not permissions.can_request_adjustment(user, plan=plan, campaign=campaign, kind=kind):
        # The Responsible or Accountable of a task asks to move their own tasks.
        tasks = _own_tasks(user, campaign) if campaign is not None and kind == AdjustmentKind.SCHEDULE else []
        require(permissions.can_request_adjustment(user, plan=plan, campaign=campaign, kind=kind, tasks=tasks))
    rows = selectors.adjustable_values(kind=kind, plan=plan, campaign=campaign, user_tasks=tasks)
    alerts = Alert.objects.unresolved().filter(campaign=campaign) if campaign else Alert.objects.none()
    issues = Issue.objects.unresolved().filter(campaign=campaign) if campaign else Issue.objects.none()
    initial = {key: value for key, value in request.GET.items() if key.startswith("v-") or key == "reason"}
    form = AdjustmentRequestForm(
        request.POST or None, initial=initial, kind=kind, rows=rows, alerts=alerts, issues=issues
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        changes = form.proposed_changes()
        arguments = {"by": user, "kind": kind, "changes": changes, "plan": plan, "campaign": campaign}
        total = form.cleaned_data.get("changes_total", False)
        if "preview" in request.POST:
            preview = submit(form, services.adjustment_preview, changes_total=total, **arguments)
        else:
            adjustment = submit(
                form,
                services.adjustment_request,
                reason=form.cleaned_data["reason"],
                expected_effect=form.cleaned_data["expected_effect"],
                changes_total=total,
                alerts=list(form.cleaned_data.get("alerts") or []),
                issues=list(form.cleaned_data.get("issues") or []),
                **arguments,
            )
            if adjustment:
                messages.success(request, _("The adjustment has been requested; its approvers have been told."))
                return redirect(adjustment)
    scope = campaign or plan
    return render(
        request,
        "tracking/adjustment_form.html",
        {
            "form": form,
            "kind": AdjustmentKind(kind),
            "scope": scope,
            "preview": preview,
            "cancel_url": scope.get_absolute_url(),
        },
    )


def campaign_adjustment_request(request, pk: int, kind: str):
    campaign = get_object_or_404(Campaign.objects.select_related("plan", "owner"), pk=pk)
    return _request_page(request, kind=kind, plan=campaign.plan, campaign=campaign)


def plan_adjustment_request(request, pk: int, kind: str):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    return _request_page(request, kind=kind, plan=plan, campaign=None)


def adjustment_detail(request, pk: int):
    adjustment = selectors.adjustment_detail(adjustment_id=pk)
    if adjustment is None:
        raise Http404
    today = timezone.localdate()
    selectors.flag([adjustment], today=today)
    user = request.user
    may_decide = permissions.may_decide(user, adjustment)
    return render(
        request,
        "tracking/adjustment_detail.html",
        {
            "adjustment": adjustment,
            "may_decide": may_decide,
            "may_withdraw": permissions.can_withdraw_adjustment(user, adjustment),
            "approve_form": ApproveForm() if may_decide else None,
            "reject_form": RejectForm() if may_decide else None,
        },
    )


def _decision(request, pk: int, act):
    adjustment = get_object_or_404(Adjustment.objects.select_related("plan", "campaign", "requested_by"), pk=pk)
    try:
        act(adjustment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("tracking:adjustment_detail", args=[pk]))


@require_POST
def adjustment_approve(request, pk: int):
    def act(adjustment):
        require(permissions.may_decide(request.user, adjustment) or adjustment.state != "pending")
        form = ApproveForm(request.POST)
        form.is_valid()
        services.adjustment_approve(adjustment=adjustment, by=request.user, note=form.cleaned_data.get("note", ""))
        if adjustment.state == "approved":
            messages.success(request, _("Approved: the adjustment has been applied."))
        else:
            messages.success(request, _("Approved: the request goes on to an executive."))

    return _decision(request, pk, act)


@require_POST
def adjustment_reject(request, pk: int):
    def act(adjustment):
        require(permissions.may_decide(request.user, adjustment) or adjustment.state != "pending")
        form = RejectForm(request.POST)
        form.is_valid()
        services.adjustment_reject(adjustment=adjustment, by=request.user, reason=form.cleaned_data.get("reason", ""))
        messages.success(request, _("The request has been rejected."))

    return _decision(request, pk, act)


@require_POST
def adjustment_withdraw(request, pk: int):
    def act(adjustment):
        require(permissions.can_withdraw_adjustment(request.user, adjustment) or adjustment.state != "pending")
        services.adjustment_withdraw(adjustment=adjustment, by=request.user)
        messages.success(request, _("The request has been withdrawn."))

    return _decision(request, pk, act)


# The figures an approved adjustment changed, and the fields each may be asked about.
ADJUSTED_FIGURES = {
    ChangeSubject.CAMPAIGN: {"budget"},
    ChangeSubject.PLAN: {"budget"},
    ChangeSubject.BUDGET_LINE: {"planned_amount"},
    ChangeSubject.TARGET: {"target_value", "q1", "q2", "q3", "q4"},
}


@require_GET
def figure_adjustments(request):
    """The approved adjustments of one figure (?subject=&object_id=&field=), for the details
    an adjusted figure opens on the plan and campaign pages (loaded by htmx)."""
    subject, field = request.GET.get("subject", ""), request.GET.get("field", "")
    object_id = request.GET.get("object_id", "")
    if field not in ADJUSTED_FIGURES.get(subject, ()) or not (
        object_id.isascii() and object_id.isdigit() and int(object_id) < 2**63
    ):
        raise Http404
    changes = selectors.figure_adjustments(subject=subject, object_id=int(object_id), field=field)
    return render(request, "tracking/_figure_adjustments.html", {"changes": changes})
