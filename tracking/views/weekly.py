"""Pages of the weekly review: a campaign's weekly progress logs (form 2), a log with its
editor, drafting, publishing, correcting and exporting it, and the review page the weekly
meeting runs on, per campaign and per plan. Thin views: a permission predicate, a selector
or a form, a service, then render or redirect."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import submit
from core.redirects import safe_next_url
from plans.models import AnnualPlan, Campaign
from plans.ranking import Ranking, channel_ranking
from plans.weeks import week_end, week_label, week_start

from .. import permissions, weekly
from ..exports import weekly_log_workbook
from ..models import WeeklyLog
from ..services import weekly_logs
from ..weekly_forms import WeekForm, WeeklyLogForm
from . import require

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _campaign(pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("plan", "owner"), pk=pk)


def _week(request, *, default=None):
    """The week asked for (?week=2026-W24 or a day), the current one by default; (monday, form)."""
    form = WeekForm(request.GET or None)
    monday = None
    if form.is_bound and form.is_valid():
        monday = form.cleaned_data["week"]
    return monday or default or week_start(timezone.localdate()), form


# A campaign's logs --------------------------------------------------------------------------


def weekly_log_list(request, pk: int, *, draft_form=None, status: int = 200):
    campaign = _campaign(pk)
    require(permissions.can_view_weekly_logs(request.user))
    return render(
        request,
        "tracking/weekly_log_list.html",
        {
            "campaign": campaign,
            "logs": weekly.campaign_logs(campaign=campaign),
            "can_edit": permissions.can_edit_weekly_log(request.user, campaign),
            "draft_form": draft_form or WeekForm(initial={"week": week_label(week_start(timezone.localdate()))}),
        },
        status=status,
    )


@require_POST
def weekly_log_draft(request, pk: int):
    """Draft the week's log (this week unless another is given), or open the one there is."""
    campaign = _campaign(pk)
    require(permissions.can_edit_weekly_log(request.user, campaign))
    form = WeekForm(request.POST)
    if form.is_valid():
        monday = form.cleaned_data["week"] or week_start(timezone.localdate())
        result = submit(form, weekly_logs.weekly_log_draft, campaign=campaign, monday=monday, by=request.user)
        if result:
            log, created = result
            if created:
                messages.success(
                    request, _("The log of %(week)s is drafted from the week's data.") % {"week": log.week_label}
                )
            fallback = log.get_absolute_url()
            return redirect(safe_next_url(request, request.POST.get("next"), fallback=fallback))
    return weekly_log_list(request, pk, draft_form=form, status=400)


# One log ------------------------------------------------------------------------------------


def _log_page(request, log: WeeklyLog, *, form=None, status: int = 200):
    can_edit = permissions.can_edit_weekly_log(request.user, log.campaign)
    editable = can_edit and log.is_draft
    open_issues, open_issue_count = weekly.campaign_open_issues(campaign=log.campaign)
    return render(
        request,
        "tracking/weekly_log_detail.html",
        {
            "log": log,
            "campaign": log.campaign,
            "can_edit": can_edit,
            "form": form if form is not None else (WeeklyLogForm(log=log) if editable else None),
            "ranking": weekly_ranking(log),
            "sunday": week_end(log.week),
            "history": weekly.log_history(log),
            "open_issues": open_issues,
            "open_issue_count": open_issue_count,
            # A refusal that concerns the log rather than a field (it was published meanwhile).
            "errors": list(form.non_field_errors()) if form is not None else [],
        },
        status=status,
    )


def weekly_ranking(log: WeeklyLog) -> Ranking:
    """The channel ranking of the log's campaign in the log's week."""
    return channel_ranking(plan=log.campaign.plan, campaign=log.campaign, monday=log.week)


def weekly_log_detail(request, pk: int):
    """The log; a draft is edited here (or in the review page, which posts here with `next`)."""
    log = weekly.log_detail(log_id=pk)
    if log is None:
        raise Http404
    require(permissions.can_view_weekly_logs(request.user))
    if request.method != "POST":
        return _log_page(request, log)
    require(permissions.can_edit_weekly_log(request.user, log.campaign))
    form = WeeklyLogForm(request.POST, log=log)
    if form.is_valid() and submit(
        form,
        weekly_logs.weekly_log_update,
        log=log,
        by=request.user,
        meeting_date=form.cleaned_data["meeting_date"],
        participants=form.cleaned_data["participants"],
        summary=form.cleaned_data["summary"],
        rows=form.row_values(),
    ):
        messages.success(request, _("The log is saved."))
        return redirect(safe_next_url(request, request.POST.get("next"), fallback=log.get_absolute_url()))
    return _log_page(request, log, form=form, status=400)


def _log_for_action(request, pk: int) -> WeeklyLog:
    log = get_object_or_404(WeeklyLog.objects.select_related("campaign__plan", "campaign__owner"), pk=pk)
    require(permissions.can_edit_weekly_log(request.user, log.campaign))
    return log


@require_POST
def weekly_log_publish(request, pk: int):
    log = _log_for_action(request, pk)
    try:
        weekly_logs.weekly_log_publish(log=log, by=request.user)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("The log is published: the campaign's people have been told."))
    return redirect(safe_next_url(request, request.POST.get("next"), fallback=log.get_absolute_url()))


@require_POST
def weekly_log_correct(request, pk: int):
    log = _log_for_action(request, pk)
    try:
        correction = weekly_logs.weekly_log_correct(log=log, by=request.user)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
        return redirect(log)
    messages.success(
        request,
        _("Revision %(revision)s is a draft: the published log stays until it is published.")
        % {"revision": correction.revision},
    )
    return redirect(correction)


@require_GET
def weekly_log_export(request, pk: int):
    """Form 2 as XLSX."""
    log = weekly.log_detail(log_id=pk)
    if log is None:
        raise Http404
    require(permissions.can_view_weekly_logs(request.user))
    content = weekly_log_workbook(
        log=log, ranking=weekly_ranking(log), exported_by=request.user, exported_at=timezone.localtime()
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="weekly-log-{log.campaign_id}-{log.week_label}-r{log.revision}.xlsx"'
    )
    return response


# The review page ----------------------------------------------------------------------------


def campaign_review(request, pk: int, *, aside_url: str = ""):
    """The page the weekly meeting runs on: the week's figures and problems, with the week's
    log beside them to type the decisions into; `aside_url`, a panel a higher layer serves
    beside them (the lessons of past campaigns, static/js/lessons_panel.js)."""
    campaign = _campaign(pk)
    require(permissions.can_view_weekly_logs(request.user))
    monday, week_form = _week(request)
    can_edit = permissions.can_edit_weekly_log(request.user, campaign)
    log = weekly.current_log(campaign=campaign, monday=monday)
    data = weekly.review(plan=campaign.plan, campaign=campaign, monday=monday)
    data.update(
        campaign=campaign,
        plan=campaign.plan,
        week_form=week_form,
        week=week_label(monday),
        log=log,
        form=WeeklyLogForm(log=log) if log is not None and log.is_draft and can_edit else None,
        can_edit=can_edit,
        here=request.get_full_path(),
        aside_url=aside_url,
        previous_week=week_label(monday - timedelta(days=7)),
        next_week=week_label(monday + timedelta(days=7)),
    )
    return render(request, "tracking/weekly_review.html", data)


def plan_review(request, pk: int):
    """The weekly review of a plan across its campaigns, each campaign's log linked."""
    plan = get_object_or_404(AnnualPlan, pk=pk)
    require(permissions.can_view_weekly_logs(request.user))
    monday, week_form = _week(request)
    data = weekly.review(plan=plan, monday=monday)
    campaigns = list(plan.campaigns.order_by("start_date", "pk"))
    logs = {log.campaign_id: log for log in WeeklyLog.objects.current().filter(campaign__plan=plan, week=monday)}
    for campaign in campaigns:
        campaign.week_log = logs.get(campaign.pk)
        campaign.review_url = reverse("tracking:campaign_review", args=[campaign.pk]) + f"?week={week_label(monday)}"
    data.update(
        plan=plan,
        campaigns=campaigns,
        week_form=week_form,
        week=week_label(monday),
        previous_week=week_label(monday - timedelta(days=7)),
        next_week=week_label(monday + timedelta(days=7)),
    )
    return render(request, "tracking/weekly_review.html", data)
