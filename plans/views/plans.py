"""Pages of the annual plan: the list, the plan page, its status, narrative sections, quarterly
focus and budget lines."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import submit

from .. import permissions, selectors, services
from ..forms import BudgetLineForm, PlanForm, PlanItemForm, QuarterFocusForm, StatusForm
from ..models import AnnualPlan, BudgetLine, PlanItem, PlanSection, PlanStatus
from ..ranking import recent_ranking
from .base import confirm_delete, form_page, require


def plan_list(request):
    plans = selectors.plan_list()
    return render(
        request,
        "plans/plan_list.html",
        {"plans": plans, "can_create": permissions.can_create_plan(request.user)},
    )


def plan_create(request):
    require(permissions.can_create_plan(request.user))
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year + 1, "owner": request.user})
    if request.method == "POST" and form.is_valid():
        plan = submit(form, services.plan_create, **form.cleaned_data)
        if plan:
            messages.success(request, _("The plan has been created. Add its targets, budget and sections."))
            return redirect(plan)
    return form_page(request, form, title=_("New annual plan"), cancel_url="/plans/")


def plan_detail(request, pk: int):
    data = selectors.plan_detail(plan_id=pk)
    if data is None:
        raise Http404
    plan = data["plan"]
    user = request.user
    data.update(
        can_edit=permissions.can_edit_plan(user, plan),
        can_edit_goals=permissions.can_edit_plan(user, plan) and permissions.goals_editable_directly(user, plan=plan),
        can_create_campaign=permissions.can_create_campaign(user) and not plan.is_frozen,
        sections=[(section, data["items"].get(section.value, [])) for section in PlanSection],
        quarter_list=[(quarter, data["quarters"].get(quarter)) for quarter in range(1, 5)],
        plan_statuses=PlanStatus,
        next_statuses=[
            status for status in PlanStatus if permissions.can_move_plan(user, plan, status) and status != plan.status
        ],
        ranking=recent_ranking(plan=plan, today=data["today"]),
    )
    return render(request, "plans/plan_detail.html", data)


def plan_edit(request, pk: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    require(permissions.can_edit_plan(request.user, plan))
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        if submit(
            form,
            services.plan_update,
            plan=plan,
            override=services.FrozenOverride.administrator(request.user),
            **form.cleaned_data,
        ):
            messages.success(request, _("The plan has been saved."))
            return redirect(plan)
    return form_page(request, form, title=_("Edit plan"), cancel_url=plan.get_absolute_url())


@require_POST
def plan_status(request, pk: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid() or form.cleaned_data["status"] not in PlanStatus.values:
        messages.error(request, _("Unknown status."))
        return redirect(plan)
    status = form.cleaned_data["status"]
    require(permissions.can_move_plan(request.user, plan, status))
    try:
        services.plan_set_status(plan=plan, status=status, by=request.user, force=request.user.is_staff)
    except services.ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The plan is now %(status)s.") % {"status": plan.get_status_display()})
    return redirect(plan)


def plan_item_create(request, pk: int, section: str):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    require(permissions.can_edit_plan(request.user, plan))
    if section not in PlanSection.values:
        raise Http404
    form = PlanItemForm(request.POST or None, section=section)
    if request.method == "POST" and form.is_valid():
        if submit(form, services.plan_item_save, plan=plan, section=section, **form.cleaned_data):
            return redirect(f"{plan.get_absolute_url()}#section-{section}")
    return form_page(
        request,
        form,
        title=_("Add to “%(section)s”") % {"section": PlanSection(section).label},
        cancel_url=plan.get_absolute_url(),
    )


def plan_item_edit(request, pk: int):
    item = get_object_or_404(PlanItem.objects.select_related("plan"), pk=pk)
    require(permissions.can_edit_plan(request.user, item.plan))
    form = PlanItemForm(request.POST or None, instance=item, section=item.section)
    if request.method == "POST" and form.is_valid():
        if submit(form, services.plan_item_save, plan=item.plan, section=item.section, item=item, **form.cleaned_data):
            return redirect(f"{item.plan.get_absolute_url()}#section-{item.section}")
    return form_page(
        request, form, title=_("Edit “%(title)s”") % {"title": item.title}, cancel_url=item.plan.get_absolute_url()
    )


def plan_item_delete(request, pk: int):
    item = get_object_or_404(PlanItem.objects.select_related("plan"), pk=pk)
    require(permissions.can_edit_plan(request.user, item.plan))
    return confirm_delete(
        request,
        obj=item,
        cancel_url=item.plan.get_absolute_url(),
        on_delete=lambda: services.plan_item_delete(item=item),
    )


def quarter_edit(request, pk: int, quarter: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    require(permissions.can_edit_plan(request.user, plan))
    if quarter not in range(1, 5):
        raise Http404
    focus = plan.quarters.filter(quarter=quarter).first()
    form = QuarterFocusForm(request.POST or None, instance=focus)
    if request.method == "POST" and form.is_valid():
        if submit(form, services.quarter_focus_set, plan=plan, quarter=quarter, **form.cleaned_data):
            return redirect(f"{plan.get_absolute_url()}#quarters")
    return form_page(
        request, form, title=_("Q%(quarter)s focus") % {"quarter": quarter}, cancel_url=plan.get_absolute_url()
    )


def budget_line_create(request, pk: int):
    plan = get_object_or_404(AnnualPlan, pk=pk)
    require(permissions.can_edit_plan(request.user, plan))
    form = BudgetLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if submit(
            form,
            services.budget_line_save,
            plan=plan,
            override=services.FrozenOverride.administrator(request.user),
            **form.cleaned_data,
        ):
            return redirect(f"{plan.get_absolute_url()}#budget")
    return form_page(request, form, title=_("New budget line"), cancel_url=plan.get_absolute_url())


def budget_line_edit(request, pk: int):
    line = get_object_or_404(BudgetLine.objects.select_related("plan"), pk=pk)
    require(permissions.can_edit_plan(request.user, line.plan))
    form = BudgetLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        if submit(
            form,
            services.budget_line_save,
            plan=line.plan,
            line=line,
            override=services.FrozenOverride.administrator(request.user),
            **form.cleaned_data,
        ):
            return redirect(f"{line.plan.get_absolute_url()}#budget")
    return form_page(request, form, title=_("Edit budget line"), cancel_url=line.plan.get_absolute_url())


def budget_line_delete(request, pk: int):
    line = get_object_or_404(BudgetLine.objects.select_related("plan"), pk=pk)
    require(permissions.can_edit_plan(request.user, line.plan))
    return confirm_delete(
        request,
        obj=line,
        cancel_url=f"{line.plan.get_absolute_url()}#budget",
        on_delete=lambda: services.budget_line_delete(
            line=line, override=services.FrozenOverride.administrator(request.user)
        ),
    )
