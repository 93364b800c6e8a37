"""Pages of alerting: alerts, thresholds and notifications. Thin views: a permission
predicate, a selector or a form, a service, then render or redirect."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import submit
from plans.models import AnnualPlan, Campaign

from . import permissions, selectors, services
from .forms import AcknowledgeForm, AlertFilterForm, ResolveForm, ThresholdForm
from .models import OPEN_STATES, Alert, Notification, Threshold
from .rules import describe, measured_metric, problems

PAGE_SIZE = 50


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


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
            "csv_url": _alerts_csv_url(filters),
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
    return render(
        request,
        "tracking/alert_detail.html",
        {
            "alert": alert,
            "notified": notified,
            "can_respond": permissions.can_respond_to_alert(request.user, alert, notified=notified),
            "unresolved": alert.state in OPEN_STATES,
            "can_edit_threshold": permissions.can_edit_threshold(request.user, alert.threshold),
            "acknowledge_form": acknowledge_form or AcknowledgeForm(),
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


def alert_detail(request, pk: int):
    return _alert_page(request, pk)


def _alert_for_action(request, pk: int) -> Alert:
    alert = get_object_or_404(Alert.objects.select_related("campaign"), pk=pk)
    _require(permissions.can_respond_to_alert(request.user, alert))
    return alert


@require_POST
def alert_acknowledge(request, pk: int):
    """Start the analysis: the note says what is being looked at and by whom."""
    alert = _alert_for_action(request, pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid() and submit(
        form, services.alert_acknowledge, alert=alert, by=request.user, note=form.cleaned_data["analysis_note"]
    ):
        messages.success(request, _("The alert is acknowledged: its analysis has started."))
        return redirect(alert)
    return _alert_page(request, pk, acknowledge_form=form, status=400)


@require_POST
def alert_resolve(request, pk: int):
    alert = _alert_for_action(request, pk)
    form = ResolveForm(request.POST)
    if form.is_valid() and submit(
        form, services.alert_resolve, alert=alert, by=request.user, note=form.cleaned_data["note"]
    ):
        messages.success(request, _("The alert is resolved."))
        return redirect(alert)
    return _alert_page(request, pk, resolve_form=form, status=400)


# The alert sections of the campaign and plan pages (loaded by htmx) --------------------------


def campaign_alerts(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("owner"), pk=pk)
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
        },
    )


# Thresholds -------------------------------------------------------------------------------


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
        saved = submit(
            form,
            services.threshold_save,
            threshold=form.instance,
            recipients=list(form.cleaned_data.get("recipients") or []),
            by=request.user,
        )
        if saved:
            messages.success(request, _("The threshold is saved. %(rule)s.") % {"rule": describe(saved)})
            return redirect(back)
    owner = campaign.owner if campaign is not None else plan.owner
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
        },
    )


def threshold_create(request, pk: int):
    """A threshold on a campaign, or on one of its goals (``?target=``)."""
    campaign = get_object_or_404(Campaign.objects.select_related("plan", "owner"), pk=pk)
    _require(permissions.can_manage_thresholds(request.user, campaign=campaign))
    threshold = Threshold(campaign=campaign)
    target_id = request.GET.get("target", "")
    if request.method == "GET" and target_id.isdigit() and campaign.targets.filter(pk=target_id).exists():
        threshold.target_id = int(target_id)
    return _threshold_page(
        request,
        threshold=threshold,
        title=_("New threshold for %(campaign)s") % {"campaign": campaign},
        preview_query=f"campaign={campaign.pk}",
    )


def plan_threshold_create(request, pk: int):
    """A threshold on a target of the annual plan."""
    plan = get_object_or_404(AnnualPlan.objects.select_related("owner"), pk=pk)
    _require(permissions.can_manage_thresholds(request.user, plan=plan))
    threshold = Threshold(plan=plan)
    target_id = request.GET.get("target", "")
    if request.method == "GET" and target_id.isdigit() and plan.targets.filter(pk=target_id).exists():
        threshold.target_id = int(target_id)
    return _threshold_page(
        request,
        threshold=threshold,
        title=_("New threshold for %(plan)s") % {"plan": plan},
        preview_query=f"plan={plan.pk}",
    )


def _threshold_to_edit(request, pk: int) -> Threshold:
    threshold = get_object_or_404(selectors.threshold_list(), pk=pk)
    _require(permissions.can_edit_threshold(request.user, threshold))
    return threshold


def threshold_edit(request, pk: int):
    threshold = _threshold_to_edit(request, pk)
    return _threshold_page(
        request, threshold=threshold, title=_("Edit threshold"), preview_query=f"threshold={threshold.pk}"
    )


@require_POST
def threshold_preview(request):
    """The rule in words for the form as it is being filled in (htmx), and what is missing."""
    query = request.GET
    if query.get("threshold", "").isdigit():
        threshold = _threshold_to_edit(request, int(query["threshold"]))
    elif query.get("campaign", "").isdigit():
        campaign = get_object_or_404(Campaign.objects.select_related("plan", "owner"), pk=query["campaign"])
        _require(permissions.can_manage_thresholds(request.user, campaign=campaign))
        threshold = Threshold(campaign=campaign)
    elif query.get("plan", "").isdigit():
        plan = get_object_or_404(AnnualPlan, pk=query["plan"])
        _require(permissions.can_manage_thresholds(request.user, plan=plan))
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
    threshold.is_active = active
    try:
        services.threshold_save(threshold=threshold, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if active:
            messages.success(request, _("The threshold is active again."))
        else:
            messages.success(request, _("The threshold is switched off; its alerts stay in the list."))
    return redirect(back)


# Notifications ----------------------------------------------------------------------------


def notification_list(request):
    page = Paginator(selectors.notification_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    notifications = list(page.object_list)
    for notification in notifications:
        notification.shown_title, notification.shown_body = notification.text()
    return render(request, "tracking/notification_list.html", {"page": page, "notifications": notifications})


@require_POST
def notification_read(request, pk: int):
    """Mark one's own notification read and go where it points."""
    notification = get_object_or_404(Notification.objects.select_related("alert"), pk=pk, recipient=request.user)
    services.notification_mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(_notification_target(request, notification))


def _notification_target(request, notification: Notification) -> str:
    if notification.alert_id:
        return notification.alert.get_absolute_url()
    url = notification.url
    if url.startswith(settings.SITE_URL):
        url = url[len(settings.SITE_URL) :] or "/"
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return "tracking:notification_list"


@require_POST
def notification_read_all(request):
    count = services.notification_mark_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("tracking:notification_list")
