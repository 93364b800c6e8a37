"""Pages of the issue register (form 3, 问题记录): the register of a campaign and across
campaigns, an issue with its history, the forms to record and change one, its state, the
one click from an alert, and form 3 as XLSX (export and import). Thin views: a permission
predicate, a selector or a form, a service, then render or redirect."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import submit
from plans.models import Campaign

from .. import issue_files, permissions
from ..forms.issues import ImportForm, IssueFilterForm, IssueForm, IssueStateForm, TemporaryMeasureForm
from ..models import Alert, Issue
from ..selectors import issues as selectors
from ..services import issues as services
from . import require

PAGE_SIZE = 50
ERRORS_SHOWN = 500


# The register ------------------------------------------------------------------------------


def _register(request, *, campaign: Campaign | None):
    form = IssueFilterForm(request.GET or None, with_campaign=campaign is None)
    filters = form.filters()
    if campaign is not None:
        filters["campaign"] = campaign
    page = Paginator(selectors.issue_list(user=request.user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tracking/issue_list.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "issues": selectors.flag_issues(page.object_list),
            "can_manage": campaign is not None and permissions.can_manage_issues(request.user, campaign=campaign),
            "can_record": campaign is not None and permissions.can_record_issue(request.user, campaign=campaign),
        },
    )


def issue_list(request):
    """The register across campaigns, with filters."""
    return _register(request, campaign=None)


def campaign_issues(request, pk: int):
    """A campaign's register (form 3)."""
    return _register(request, campaign=get_object_or_404(Campaign.objects.select_related("owner"), pk=pk))


# One issue ---------------------------------------------------------------------------------


def _issue_for(request, pk: int) -> tuple[Issue, str]:
    issue = selectors.issue_detail(issue_id=pk)
    if issue is None:
        raise Http404
    access = permissions.issue_access(request.user, issue)
    if access is None:
        raise Http404
    return issue, access


def _detail_page(request, issue: Issue, access: str, *, state_form=None, measure_form=None, status: int = 200):
    return render(
        request,
        "tracking/issue_detail.html",
        {
            "issue": issue,
            "access": access,
            "can_edit": permissions.can_edit_issue_fields(access, ["description"]),
            "can_propose": access == permissions.ISSUE_PROPOSE,
            "can_change_state": permissions.can_change_issue_state(access),
            "state_form": state_form or IssueStateForm(initial={"state": issue.state}),
            "measure_form": measure_form or TemporaryMeasureForm(instance=issue),
            "history": selectors.issue_history(issue=issue),
        },
        status=status,
    )


def issue_detail(request, pk: int):
    issue, access = _issue_for(request, pk)
    return _detail_page(request, issue, access)


@require_http_methods(["GET", "POST"])
def issue_create(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("owner"), pk=pk)
    require(permissions.can_record_issue(request.user, campaign=campaign))
    initial = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
    if not permissions.can_manage_issues(request.user, campaign=campaign):
        initial["department"] = request.user.led_departments.order_by("name").first()
    form = IssueForm(request.POST or None, campaign=campaign, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if not permissions.can_manage_issues(request.user, campaign=campaign) and not (
            data["department"] and data["department"].lead_id == request.user.pk
        ):
            form.add_error("department", _("Choose a department you lead: you record issues for your department."))
        else:
            issue = submit(form, services.issue_create, campaign=campaign, by=request.user, **data)
            if issue is not None:
                messages.success(request, _("The issue is recorded."))
                return redirect(issue)
    return render(
        request,
        "tracking/issue_form.html",
        {"form": form, "campaign": campaign, "issue": None},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def issue_edit(request, pk: int):
    issue, access = _issue_for(request, pk)
    require(permissions.can_edit_issue_fields(access, ["description"]))
    form = IssueForm(request.POST or None, instance=issue, campaign=issue.campaign)
    if form.is_bound and form.is_valid():
        # The form has written its values onto `issue`: the service compares with the saved row.
        saved = Issue.objects.select_related("campaign").get(pk=issue.pk)
        if submit(form, services.issue_update, issue=saved, by=request.user, **form.cleaned_data):
            messages.success(request, _("The issue is saved."))
            return redirect(saved)
    return render(
        request,
        "tracking/issue_form.html",
        {"form": form, "campaign": issue.campaign, "issue": issue},
        status=400 if form.is_bound else 200,
    )


@require_POST
def issue_measure(request, pk: int):
    """The affected tasks' Responsible and Accountable propose the temporary measure."""
    issue, access = _issue_for(request, pk)
    require(permissions.can_edit_issue_fields(access, ["temporary_measure"]))
    form = TemporaryMeasureForm(request.POST, instance=Issue.objects.get(pk=issue.pk))
    if form.is_valid() and submit(
        form,
        services.issue_update,
        issue=issue,
        by=request.user,
        temporary_measure=form.cleaned_data["temporary_measure"],
    ):
        messages.success(request, _("The temporary measure is saved."))
        return redirect(issue)
    return _detail_page(request, issue, access, measure_form=form, status=400)


@require_POST
def issue_state(request, pk: int):
    issue, access = _issue_for(request, pk)
    require(permissions.can_change_issue_state(access))
    form = IssueStateForm(request.POST)
    if form.is_valid() and submit(
        form,
        services.issue_set_state,
        issue=issue,
        by=request.user,
        state=form.cleaned_data["state"],
        reason=form.cleaned_data["state_reason"],
    ):
        messages.success(request, _("The issue is now %(state)s.") % {"state": issue.get_state_display()})
        return redirect(issue)
    return _detail_page(request, issue, access, state_form=form, status=400)


# From an alert -----------------------------------------------------------------------------


@require_POST
def alert_issue(request, pk: int):
    """One click: the alert's issue, prefilled and linked, opened for completing; an alert
    that already has one goes to it."""
    alert = get_object_or_404(Alert.objects.select_related("campaign", "issue"), pk=pk)
    require(permissions.can_open_issue_from_alert(request.user, alert))
    if alert.issue_id:
        return redirect(alert.issue)
    try:
        issue, _created = services.issue_create_from_alert(
            alert=alert, by=request.user, language=translation.get_language()
        )
    except services.ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(alert)
    messages.success(request, _("The issue is recorded from the alert: complete it and save."))
    return redirect("tracking:issue_edit", pk=issue.pk)


# Form 3 as a file --------------------------------------------------------------------------


@require_GET
def issues_export(request, pk: int):
    """Form 3 as XLSX: the campaign's issues the person may read."""
    campaign = get_object_or_404(Campaign, pk=pk)
    issues = selectors.issue_list(user=request.user, campaign=campaign)
    content = issue_files.issues_workbook(
        campaign=campaign, issues=issues, exported_by=request.user, exported_at=timezone.localtime()
    )
    response = HttpResponse(content, content_type=issue_files.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="issues-campaign-{campaign.pk}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def issues_import(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("owner"), pk=pk)
    require(permissions.can_manage_issues(request.user, campaign=campaign))
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    result = None
    if form.is_bound and form.is_valid():
        result = issue_files.import_issues(file=form.cleaned_data["file"], campaign=campaign, user=request.user)
        if result.ok:
            messages.success(
                request,
                _("Issues imported: %(created)s recorded, %(updated)s updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect(reverse("tracking:campaign_issues", args=[campaign.pk]))
    return render(
        request,
        "tracking/issue_import.html",
        {
            "campaign": campaign,
            "form": form,
            "result": result,
            "errors": result.errors[:ERRORS_SHOWN] if result else [],
            "errors_hidden": max(len(result.errors) - ERRORS_SHOWN, 0) if result else 0,
            "headers": [column.header for column in issue_files.COLUMNS],
        },
        status=400 if result is not None else 200,
    )
