"""Pages of tasks: my tasks (the morning page), task detail, forms, stages and milestones."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import submit
from plans.models import Campaign

from .. import permissions, selectors, services
from ..forms import MilestoneForm, StageForm, StatusForm, TaskForm
from ..models import Milestone, Task, TaskStatus
from ..services import TaskInput


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def my_tasks(request):
    return render(request, "tasks/my_tasks.html", {**selectors.my_tasks(user=request.user), "statuses": TaskStatus})


@require_POST
def check_in(request):
    """“Nothing to report today”: recorded once a day."""
    services.daily_check_in(user=request.user)
    if _is_htmx(request):
        return render(request, "tasks/_check_in.html", {"checked_in": True})
    messages.success(request, _("Thanks: your day is recorded as nothing to report."))
    return redirect("tasks:my_tasks")


def task_detail(request, pk: int):
    task = selectors.task_detail(task_id=pk)
    if task is None:
        raise Http404
    _require(permissions.can_view_task(request.user, task))
    today = timezone.localdate()
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "overdue": task.is_overdue(today),
            "consulted": [a for a in task.assignments.all() if a.role == "C"],
            "informed": [a for a in task.assignments.all() if a.role == "I"],
            "can_change_status": permissions.can_change_status(request.user, task),
            "can_manage": permissions.can_manage_tasks(request.user, task.campaign),
            "status_form": StatusForm(initial={"status": task.status, "progress": task.progress}),
            "statuses": TaskStatus,
        },
    )


@require_POST
def task_status(request, pk: int):
    """Change a task's status (or add a note) in place: htmx swaps the task's card."""
    task = get_object_or_404(Task.objects.select_related("campaign", "stage", "accountable"), pk=pk)
    _require(permissions.can_change_status(request.user, task))
    form = StatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.task_set_status(
                task=task,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                progress=form.cleaned_data["progress"],
                by=request.user,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
    if _is_htmx(request):
        task.overdue = task.is_overdue(timezone.localdate())
        task.last_note = form.data.get("note", "") if not error else None
        return render(
            request,
            "tasks/_task_card.html",
            {
                "task": task,
                "error": error,
                "draft_note": form.data.get("note", "") if error else "",
                "statuses": TaskStatus,
                "saved": not error,
            },
            # 200 either way: htmx swaps only successful responses, and the card shows the error.
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Status saved."))
    return redirect(request.POST.get("next") or task.get_absolute_url())


def task_create(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    _require(permissions.can_manage_tasks(request.user, campaign))
    services.stages_ensure_defaults(campaign=campaign)
    form = TaskForm(request.POST or None, campaign=campaign, initial={"accountable": campaign.owner_id})
    if request.method == "POST" and form.is_valid():
        task = submit(
            form, services.task_create, campaign=campaign, data=TaskInput(**_task_fields(form)), by=request.user
        )
        if task:
            messages.success(request, _("The task has been created."))
            return redirect(task)
    return render(request, "tasks/task_form.html", {"form": form, "campaign": campaign, "title": _("New task")})


def task_edit(request, pk: int):
    task = get_object_or_404(Task.objects.select_related("campaign"), pk=pk)
    _require(permissions.can_manage_tasks(request.user, task.campaign))
    form = TaskForm(request.POST or None, instance=task, campaign=task.campaign)
    if request.method == "POST" and form.is_valid():
        if submit(form, services.task_update, task=task, data=TaskInput(**_task_fields(form)), by=request.user):
            messages.success(request, _("The task has been saved."))
            return redirect(task)
    return render(request, "tasks/task_form.html", {"form": form, "campaign": task.campaign, "title": _("Edit task")})


def _task_fields(form) -> dict:
    data = dict(form.cleaned_data)
    data["departments"] = list(data.get("departments") or [])
    return data


def campaign_summary(request, pk: int):
    """The campaign page's task section: counts by status and stage, overdue tasks, next milestones."""
    campaign = get_object_or_404(Campaign, pk=pk)
    services.stages_ensure_defaults(campaign=campaign)
    data = selectors.campaign_task_summary(campaign=campaign)
    data["can_manage"] = permissions.can_manage_tasks(request.user, campaign)
    return render(request, "tasks/_campaign_summary.html", data)


def stage_list(request, pk: int):
    """The campaign's stages: rename, reorder, add."""
    campaign = get_object_or_404(Campaign, pk=pk)
    can_manage = permissions.can_manage_tasks(request.user, campaign)
    stages = services.stages_ensure_defaults(campaign=campaign)
    form = StageForm(request.POST or None, initial={"position": len(stages)})
    if request.method == "POST":
        _require(can_manage)
        stage = None
        if request.POST.get("stage"):
            stage = get_object_or_404(campaign.stages, pk=request.POST["stage"])
            form = StageForm(request.POST, instance=stage)
        if form.is_valid() and submit(
            form, services.stage_save, campaign=campaign, stage=stage, by=request.user, **form.cleaned_data
        ):
            return redirect("tasks:stage_list", pk=campaign.pk)
    return render(
        request,
        "tasks/stage_list.html",
        {
            "campaign": campaign,
            "stages": selectors.stage_list(campaign=campaign),
            "form": form,
            "can_manage": can_manage,
        },
    )


def milestone_create(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    _require(permissions.can_manage_tasks(request.user, campaign))
    services.stages_ensure_defaults(campaign=campaign)
    form = MilestoneForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        if submit(form, services.milestone_save, campaign=campaign, by=request.user, **form.cleaned_data):
            return redirect(campaign)
    return render(request, "tasks/task_form.html", {"form": form, "campaign": campaign, "title": _("New milestone")})


def milestone_edit(request, pk: int):
    milestone = get_object_or_404(Milestone.objects.select_related("campaign"), pk=pk)
    _require(permissions.can_manage_tasks(request.user, milestone.campaign))
    form = MilestoneForm(request.POST or None, instance=milestone, campaign=milestone.campaign)
    if request.method == "POST" and form.is_valid():
        if submit(
            form,
            services.milestone_save,
            campaign=milestone.campaign,
            milestone=milestone,
            by=request.user,
            **form.cleaned_data,
        ):
            return redirect(milestone.campaign)
    return render(
        request, "tasks/task_form.html", {"form": form, "campaign": milestone.campaign, "title": _("Edit milestone")}
    )
