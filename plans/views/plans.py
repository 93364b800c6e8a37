"""Pages of the annual plan and its campaigns: thin views over selectors and services."""

import json
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import submit

from .. import permissions, selectors, services
from ..forms import (
    BudgetLineForm,
    CampaignForm,
    MetricEntryForm,
    PlanForm,
    PlanItemForm,
    QuarterFocusForm,
    StatusForm,
    TargetForm,
)
from ..models import (
    AnnualPlan,
    BudgetLine,
    Campaign,
    CampaignStatus,
    Metric,
    PlanItem,
    PlanSection,
    PlanStatus,
    Target,
    ValueSource,
)
from ..services import CAMPAIGN_ORDER, TargetInput, ValueRow


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _form_page(request, form, *, title: str, cancel_url: str, intro: str = ""):
    return render(request, "plans/form.html", {"form": form, "title": title, "cancel_url": cancel_url, "intro": intro})


# Plans ------------------------------------------------------------------------------------


def plan_list(request):
    plans = selectors.plan_list()
    return render(
        request,
        "plans/plan_list.html",
        {"plans": plans, "can_create": permissions.can_create_plan(request.user)},
    )


def plan_create(request):
    _require(permissions.can_create_plan(request.user))
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year + 1, "owner": request.user})
    if request.method == "POST" and form.is_valid():
        plan = submit(form, services.plan_create, **form.cleaned_data)
        if plan:
            messages.success(request, _("The plan has been created. Add its targets, budget and sections."))
            return redirect(plan)
    return _form_page(request, form, title=_("New annual plan"), cancel_url="/plans/")


def plan_detail(request, pk: int):
    data = selectors.plan_detail(plan_id=pk)
    if data is None:
        raise Http404
    plan = data["plan"]
    user = request.user
    data.update(
        can_edit=permissions.can_edit_plan(user, plan),
        can_create_campaign=permissions.can_create_campaign(user),
        sections=[(section, data["items"].get(section.value, [])) for section in PlanSection],
        quarter_list=[(quarter, data["quarters"].get(quarter)) for quarter in range(1, 5)],
        next_statuses=[
            status for status in PlanStatus if permissions.can_move_plan(user, plan, status) and status != plan.status
        ],
    )
    return render(request, "plans/plan_detail.html", data)


def plan_edit(request, pk: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    _require(permissions.can_edit_plan(request.user, plan))
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        if submit(form, services.plan_update, plan=plan, **form.cleaned_data):
            messages.success(request, _("The plan has been saved."))
            return redirect(plan)
    return _form_page(request, form, title=_("Edit plan"), cancel_url=plan.get_absolute_url())


@require_POST
def plan_status(request, pk: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid() or form.cleaned_data["status"] not in PlanStatus.values:
        messages.error(request, _("Unknown status."))
        return redirect(plan)
    status = form.cleaned_data["status"]
    _require(permissions.can_move_plan(request.user, plan, status))
    try:
        services.plan_set_status(plan=plan, status=status, by=request.user, force=request.user.is_staff)
    except services.ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The plan is now %(status)s.") % {"status": plan.get_status_display()})
    return redirect(plan)


# Plan sections ----------------------------------------------------------------------------


def plan_item_create(request, pk: int, section: str):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    _require(permissions.can_edit_plan(request.user, plan))
    if section not in PlanSection.values:
        raise Http404
    form = PlanItemForm(request.POST or None, section=section)
    if request.method == "POST" and form.is_valid():
        if submit(form, services.plan_item_save, plan=plan, section=section, **form.cleaned_data):
            return redirect(f"{plan.get_absolute_url()}#section-{section}")
    return _form_page(
        request,
        form,
        title=_("Add to “%(section)s”") % {"section": PlanSection(section).label},
        cancel_url=plan.get_absolute_url(),
    )


def plan_item_edit(request, pk: int):
    item = get_object_or_404(PlanItem.objects.select_related("plan"), pk=pk)
    _require(permissions.can_edit_plan(request.user, item.plan))
    form = PlanItemForm(request.POST or None, instance=item, section=item.section)
    if request.method == "POST" and form.is_valid():
        if submit(form, services.plan_item_save, plan=item.plan, section=item.section, item=item, **form.cleaned_data):
            return redirect(f"{item.plan.get_absolute_url()}#section-{item.section}")
    return _form_page(
        request, form, title=_("Edit “%(title)s”") % {"title": item.title}, cancel_url=item.plan.get_absolute_url()
    )


def _confirm_delete(request, *, obj, cancel_url: str, on_delete):
    if request.method == "POST":
        on_delete()
        messages.success(request, _("“%(name)s” has been deleted.") % {"name": obj})
        return redirect(cancel_url)
    return render(request, "plans/confirm_delete.html", {"object": obj, "cancel_url": cancel_url})


def plan_item_delete(request, pk: int):
    item = get_object_or_404(PlanItem.objects.select_related("plan"), pk=pk)
    _require(permissions.can_edit_plan(request.user, item.plan))
    return _confirm_delete(
        request,
        obj=item,
        cancel_url=item.plan.get_absolute_url(),
        on_delete=lambda: services.plan_item_delete(item=item),
    )


def quarter_edit(request, pk: int, quarter: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    _require(permissions.can_edit_plan(request.user, plan))
    if quarter not in range(1, 5):
        raise Http404
    focus = plan.quarters.filter(quarter=quarter).first()
    form = QuarterFocusForm(request.POST or None, instance=focus)
    if request.method == "POST" and form.is_valid():
        if submit(form, services.quarter_focus_set, plan=plan, quarter=quarter, **form.cleaned_data):
            return redirect(f"{plan.get_absolute_url()}#quarters")
    return _form_page(
        request, form, title=_("Q%(quarter)s focus") % {"quarter": quarter}, cancel_url=plan.get_absolute_url()
    )


# Targets ----------------------------------------------------------------------------------


def _target_page(request, *, form, title: str, cancel_url: str, save):
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["sort_order"] = data.get("sort_order") or 0
        target = submit(form, save, data=TargetInput(**data))
        if target:
            messages.success(request, _("The target has been saved."))
            return redirect(cancel_url)
    return _form_page(request, form, title=title, cancel_url=cancel_url)


def plan_target_create(request, pk: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    _require(permissions.can_edit_plan(request.user, plan))
    form = TargetForm(request.POST or None)
    return _target_page(
        request,
        form=form,
        title=_("New target of %(plan)s") % {"plan": plan},
        cancel_url=f"{plan.get_absolute_url()}#targets",
        save=lambda data: services.target_save(data=data, plan=plan),
    )


def campaign_target_create(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    _require(permissions.can_edit_campaign(request.user, campaign))
    form = TargetForm(request.POST or None, quarterly=False)
    return _target_page(
        request,
        form=form,
        title=_("New goal of %(campaign)s") % {"campaign": campaign},
        cancel_url=campaign.get_absolute_url(),
        save=lambda data: services.target_save(data=data, campaign=campaign),
    )


def _target_scope(target: Target):
    """The page a target lives on, and whether the user may edit it."""
    if target.campaign_id:
        return target.campaign.get_absolute_url(), lambda user: permissions.can_edit_campaign(user, target.campaign)
    return f"{target.plan.get_absolute_url()}#targets", lambda user: permissions.can_edit_plan(user, target.plan)


def subgoal_create(request, pk: int):
    parent = get_object_or_404(Target.objects.select_related("plan", "campaign", "metric"), pk=pk)
    cancel_url, may_edit = _target_scope(parent)
    _require(may_edit(request.user))
    form = TargetForm(request.POST or None, parent=parent, quarterly=parent.plan_id is not None)
    return _target_page(
        request,
        form=form,
        title=_("New sub-goal of %(goal)s") % {"goal": parent.label},
        cancel_url=cancel_url,
        save=lambda data: services.target_save(data=data, parent=parent),
    )


def target_edit(request, pk: int):
    target = get_object_or_404(Target.objects.select_related("plan", "campaign", "metric", "parent"), pk=pk)
    cancel_url, may_edit = _target_scope(target)
    _require(may_edit(request.user))
    form = TargetForm(request.POST or None, instance=target, parent=target.parent, quarterly=target.plan_id is not None)
    return _target_page(
        request,
        form=form,
        title=_("Edit %(goal)s") % {"goal": target.label},
        cancel_url=cancel_url,
        save=lambda data: services.target_save(data=data, target=target),
    )


def target_delete(request, pk: int):
    target = get_object_or_404(Target.objects.select_related("plan", "campaign", "metric"), pk=pk)
    cancel_url, may_edit = _target_scope(target)
    _require(may_edit(request.user))
    return _confirm_delete(
        request, obj=target, cancel_url=cancel_url, on_delete=lambda: services.target_delete(target=target)
    )


# Budget -----------------------------------------------------------------------------------


def budget_line_create(request, pk: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    _require(permissions.can_edit_plan(request.user, plan))
    form = BudgetLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if submit(form, services.budget_line_save, plan=plan, **form.cleaned_data):
            return redirect(f"{plan.get_absolute_url()}#budget")
    return _form_page(request, form, title=_("New budget line"), cancel_url=plan.get_absolute_url())


def budget_line_edit(request, pk: int):
    line = get_object_or_404(BudgetLine.objects.select_related("plan"), pk=pk)
    _require(permissions.can_edit_plan(request.user, line.plan))
    form = BudgetLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        if submit(form, services.budget_line_save, plan=line.plan, line=line, **form.cleaned_data):
            return redirect(f"{line.plan.get_absolute_url()}#budget")
    return _form_page(request, form, title=_("Edit budget line"), cancel_url=line.plan.get_absolute_url())


def budget_line_delete(request, pk: int):
    line = get_object_or_404(BudgetLine.objects.select_related("plan"), pk=pk)
    _require(permissions.can_edit_plan(request.user, line.plan))
    return _confirm_delete(
        request,
        obj=line,
        cancel_url=f"{line.plan.get_absolute_url()}#budget",
        on_delete=lambda: services.budget_line_delete(line=line),
    )


# Campaigns --------------------------------------------------------------------------------


def campaign_create(request, pk: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    _require(permissions.can_create_campaign(request.user))
    form = CampaignForm(request.POST or None, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        campaign = submit(form, services.campaign_create, plan=plan, **form.cleaned_data)
        if campaign:
            messages.success(
                request, _("The campaign has been created. Restate its goals and split them into sub-goals.")
            )
            return redirect(campaign)
    return _form_page(
        request, form, title=_("New campaign of %(plan)s") % {"plan": plan}, cancel_url=plan.get_absolute_url()
    )


def campaign_detail(request, pk: int):
    data = selectors.campaign_detail(campaign_id=pk)
    if data is None:
        raise Http404
    campaign = data["campaign"]
    user = request.user
    current = CAMPAIGN_ORDER.index(campaign.status)
    data.update(
        can_edit=permissions.can_edit_campaign(user, campaign),
        can_record=permissions.can_record_values(user, campaign),
        next_status=CAMPAIGN_ORDER[current + 1] if current + 1 < len(CAMPAIGN_ORDER) else None,
        chart=_goal_chart(data["goals"], today=data["today"]),
    )
    return render(request, "plans/campaign_detail.html", data)


def _goal_chart(goals: list[Target], *, today: date) -> dict | None:
    """Cumulative actual of the headline goal against a straight line to its target."""
    headline = next((goal for goal in goals if goal.metric.aggregation == "sum"), None)
    if headline is None:
        return None
    series = selectors.goal_daily_totals(target=headline)
    days = (headline.period_end - headline.period_start).days + 1
    labels, actual, pace, running = [], [], [], 0.0
    for offset in range(days):
        day = headline.period_start.fromordinal(headline.period_start.toordinal() + offset)
        labels.append(day.isoformat())
        pace.append(round(float(headline.target_value) * (offset + 1) / days, 2))
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
    _require(permissions.can_edit_campaign(request.user, campaign))
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        if submit(form, services.campaign_update, campaign=campaign, **form.cleaned_data):
            messages.success(request, _("The campaign has been saved."))
            return redirect(campaign)
    return _form_page(request, form, title=_("Edit campaign"), cancel_url=campaign.get_absolute_url())


@require_POST
def campaign_status(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    _require(permissions.can_edit_campaign(request.user, campaign))
    form = StatusForm(request.POST)
    if not form.is_valid() or form.cleaned_data["status"] not in CampaignStatus.values:
        messages.error(request, _("Unknown status."))
        return redirect(campaign)
    try:
        services.campaign_set_status(campaign=campaign, status=form.cleaned_data["status"], force=request.user.is_staff)
    except services.ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The campaign is now %(status)s.") % {"status": campaign.get_status_display()})
    return redirect(campaign)


# Metric values ----------------------------------------------------------------------------


def metric_values_record(request, pk: int):
    """Several metrics of a campaign for one day at once; the campaign's goal metrics first."""
    campaign = get_object_or_404(Campaign.objects.select_related("plan"), pk=pk)
    _require(permissions.can_record_values(request.user, campaign))
    goal_metric_ids = set(campaign.targets.values_list("metric_id", flat=True))
    metrics = sorted(Metric.objects.filter(is_active=True), key=lambda m: (m.pk not in goal_metric_ids, m.code))
    form = MetricEntryForm(request.POST or None, metrics=metrics, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        rows = [
            ValueRow(
                metric=metric,
                value=value,
                date=form.cleaned_data["date"],
                plan=campaign.plan,
                campaign=campaign,
                channel=form.cleaned_data["channel"],
            )
            for metric, value in form.values()
        ]
        summary = submit(
            form, services.metric_values_record, rows=rows, source=ValueSource.MANUAL, recorded_by=request.user
        )
        if summary:
            messages.success(
                request,
                _("%(created)s values recorded, %(updated)s updated.")
                % {"created": summary.created, "updated": summary.updated},
            )
            return redirect(campaign)
    goal_fields = [form[form.field_name(m)] for m in metrics if m.pk in goal_metric_ids]
    other_fields = [form[form.field_name(m)] for m in metrics if m.pk not in goal_metric_ids]
    return render(
        request,
        "plans/metric_entry.html",
        {"campaign": campaign, "form": form, "goal_fields": goal_fields, "other_fields": other_fields},
    )


def metric_list(request):
    return render(
        request, "plans/metric_list.html", {"metrics": selectors.metric_list(), "channels": selectors.channel_list()}
    )
