"""Alert pages: the list, an alert with its chart, acknowledging and resolving, and the
alert sections of the campaign and plan pages. Thin views: a permission predicate, a
selector or a form, a service, then render or redirect."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import submit
from notifications.permissions import can_manage_department_webhooks
from plans.models import AnnualPlan, Campaign

from .. import permissions, selectors
from ..forms import AlertFilterForm, ResolveForm
from ..forms.issues import AcknowledgeWithIssueForm
from ..models import OPEN_STATES, Alert, Issue
from ..rules import measured_metric
from ..services import alerts
from ..services import issues as issue_services
from . import require

PAGE_SIZE = 50


# Alerts -----------------------------------------------------------------------------------


def alert_list(request):
    form = AlertFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.alert_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tracking/alert_list.html",
        {
            "form": form,
            "page": page,
            "alerts": selectors.flag_alerts(page.object_list),
            "can_manage_all_issues": permissions.can_manage_issues_anywhere(request.user),
            "csv_url": _alerts_csv_url(filters),
            "can_manage_department_webhooks": can_manage_department_webhooks(request.user),
        },
    )


def _alerts_csv_url(filters: dict) -> str:
    """The same alerts from the API, as CSV."""
    params = {"format": "csv"}
    if filters.get("state"):
        params["state"] = filters["state"]
    if filters.get("severity"):
        params["severity"] = filters["severity"]
    if filters.get("campaign") is not None:
        params["campaign"] = filters["campaign"].pk
    if filters.get("overdue") is not None:
        params["overdue"] = "true" if filters["overdue"] else "false"
    return f"{reverse('api:alert-list')}?{urlencode(params)}"


def _alert_page(request, alert_id: int, *, acknowledge_form=None, resolve_form=None, status: int = 200):
    alert = selectors.alert_detail(alert_id=alert_id)
    if alert is None:
        raise Http404
    notified = permissions.was_notified(request.user, alert)
    can_respond = permissions.can_respond_to_alert(request.user, alert, notified=notified)
    return render(
        request,
        "tracking/alert_detail.html",
        {
            "alert": alert,
            "notified": notified,
            "can_respond": can_respond,
            "can_open_issue": can_respond or permissions.can_open_issue_from_alert(request.user, alert),
            "unresolved": alert.state in OPEN_STATES,
            "can_edit_threshold": permissions.can_edit_threshold(request.user, alert.threshold),
            "acknowledge_form": acknowledge_form or AcknowledgeWithIssueForm(issues=_issues_of(alert)),
            "resolve_form": resolve_form or ResolveForm(),
            "metric": measured_metric(alert.threshold),
            "chart": selectors.alert_chart(alert=alert),
            "response_hours": int(settings.ALERT_RESPONSE_TIME.total_seconds() // 3600),
            # A refusal the forms cannot show next to a field (e.g. the alert was resolved meanwhile).
            "errors": [
                error
                for form in (acknowledge_form, resolve_form)
                if form is not None
                for error in form.non_field_errors()
            ],
        },
        status=status,
    )


def _issues_of(alert: Alert):
    """The unresolved issues of the alert's campaign, which an acknowledgement may name."""
    if not alert.campaign_id:
        return None
    return Issue.objects.unresolved().filter(campaign_id=alert.campaign_id).order_by("-occurred_at", "-pk")


def alert_detail(request, pk: int):
    return _alert_page(request, pk)


def _alert_for_action(request, pk: int) -> Alert:
    alert = get_object_or_404(Alert.objects.select_related("campaign"), pk=pk)
    require(permissions.can_respond_to_alert(request.user, alert))
    return alert


@require_POST
def alert_acknowledge(request, pk: int):
    """Start the analysis: the note says what is being looked at and by whom."""
    alert = _alert_for_action(request, pk)
    form = AcknowledgeWithIssueForm(request.POST, issues=_issues_of(alert))
    acknowledged = None
    if form.is_valid():
        note, issue = form.cleaned_data["analysis_note"], form.cleaned_data.get("issue")
        if issue is not None:
            acknowledged = submit(
                form, issue_services.alert_acknowledge_with_issue, alert=alert, issue=issue, by=request.user, note=note
            )
        else:
            acknowledged = submit(form, alerts.alert_acknowledge, alert=alert, by=request.user, note=note)
    if acknowledged:
        messages.success(request, _("The alert is acknowledged: its analysis has started."))
        return redirect(alert)
    return _alert_page(request, pk, acknowledge_form=form, status=400)


@require_POST
def alert_resolve(request, pk: int):
    alert = _alert_for_action(request, pk)
    form = ResolveForm(request.POST)
    if form.is_valid() and submit(
        form, alerts.alert_resolve, alert=alert, by=request.user, note=form.cleaned_data["note"]
    ):
        messages.success(request, _("The alert is resolved."))
        return redirect(alert)
    return _alert_page(request, pk, resolve_form=form, status=400)


# The alert sections of the campaign and plan pages (loaded by htmx) --------------------------


def campaign_alerts(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("owner", "plan"), pk=pk)
    return render(
        request,
        "tracking/_scope_alerts.html",
        {
            "campaign": campaign,
            "add_url": reverse("tracking:threshold_create", args=[campaign.pk]),
            "all_alerts_url": reverse("tracking:alert_list")
            + "?"
            + urlencode({"state": "all", "campaign": campaign.pk}),
            "alerts": selectors.campaign_open_alerts(campaign=campaign),
            "thresholds": selectors.campaign_thresholds(campaign=campaign),
            "can_manage": permissions.can_manage_thresholds(request.user, campaign=campaign),
            "frozen": campaign.plan.is_frozen,
        },
    )


def plan_alerts(request, pk: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    return render(
        request,
        "tracking/_scope_alerts.html",
        {
            "plan": plan,
            "add_url": reverse("tracking:plan_threshold_create", args=[plan.pk]),
            "alerts": selectors.plan_open_alerts(plan=plan),
            "thresholds": selectors.plan_thresholds(plan=plan),
            "can_manage": permissions.can_manage_thresholds(request.user, plan=plan),
            "frozen": plan.is_frozen,
        },
    )
