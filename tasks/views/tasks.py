"""Pages of tasks: my tasks (the morning page), the daily check-in, task detail, status, create and edit."""

import re
from datetime import date
from types import SimpleNamespace
from weakref import WeakKeyDictionary

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import submit
from core.redirects import safe_next_url
from plans.models import Campaign

from .. import permissions, selectors, services
from ..forms import StatusForm, TaskForm
from ..models import AssignmentRole, Task, TaskStatus
from ..services import TaskInput
from .base import require


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def my_tasks(request):
    data = selectors.my_tasks(user=request.user, group=request.GET.get("group"), page=request.GET.get("page"))
    data["asks_check_in"] = permissions.expects_daily_update(request.user, open_tasks=data["open_count"])
    cards = CardRenderer(request)
    for tasks in data["groups"].values():
        for task in tasks:
            task.card = cards(task)
    return render(request, "tasks/my_tasks.html", {**data, "statuses": TaskStatus})


CARD_TEMPLATE = "tasks/_task_card.html"
# Stand-ins that cannot occur in a rendered card: a pk for the addresses and ids, a date for
# the deadline, and private-use characters around the name of each text field.
PK_PLACEHOLDER = 987654321
DATE_PLACEHOLDER = date(1111, 11, 11)


def _text_placeholder(name: str) -> str:
    return f"\ue000{name}\ue001"


class _CardStandIn:
    """What the card template reads of a task, with placeholders for what varies from task to
    task; the status, whether it is overdue and whether it has a note shape the card."""

    def __init__(self, task: Task):
        self.pk = PK_PLACEHOLDER
        self.status = task.status
        self.overdue = task.overdue
        self.last_note = _text_placeholder("note") if task.last_note else ""
        self.name = _text_placeholder("name")
        self.progress = _text_placeholder("progress")
        self.due_date = DATE_PLACEHOLDER
        self.campaign = SimpleNamespace(name=_text_placeholder("campaign"))
        self.stage = SimpleNamespace(name=_text_placeholder("stage"))
        self._status_display = task.get_status_display()

    def get_status_display(self) -> str:
        return self._status_display

    def get_absolute_url(self) -> str:
        return reverse("tasks:task_detail", args=[PK_PLACEHOLDER])


# The card's shapes, rendered once for the whole process and kept with the compiled template
# they came from: when the template is loaded anew (the development server's reload, a test's
# TEMPLATES), its shapes are rendered anew.
_card_shapes: "WeakKeyDictionary[object, dict[tuple, str]]" = WeakKeyDictionary()


class CardRenderer:
    """A task's card: my tasks shows up to 150, and a status change answers one. Each shape of
    card (its status, overdue or not, with a note or not, saved or refused, in the reader's
    language, with the addresses of the URLconf in use) is rendered from the card's template
    once, with placeholders, and kept for the process; each card is that text with the task's
    own values, the request's CSRF token and the refusal put in, escaped. The same HTML as
    rendering the template for every card (tests/tasks/test_task_card.py compares them) at a
    small part of the cost: rendering 40 cards was half of my tasks' time
    (bench/journey_load.py), and the one card a status change answers was a sixth of its time
    (bench/tasks_bench.py). The card template reads only the task, the statuses, the CSRF token
    and the refusal: not the request's context."""

    PLACEHOLDER = re.compile(rf"{PK_PLACEHOLDER}|{DATE_PLACEHOLDER:%Y-%m-%d}|\ue000(\w+)\ue001")

    def __init__(self, request):
        self.request = request
        self.csrf_token = None
        template = get_template(CARD_TEMPLATE)
        self.template = template
        # The shapes this renderer used, by (status, overdue, has a note).
        self.shapes: dict[tuple, str] = {}
        self._all_shapes = _card_shapes.setdefault(getattr(template, "template", template), {})

    def _shape(self, task: Task, saved: bool, refused: bool) -> str:
        # The reader's language, and the URLconf and script prefix its addresses come from.
        where = (get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
        key = (*where, task.status, task.overdue, bool(task.last_note), saved, refused)
        shape = self._all_shapes.get(key)
        if shape is None:
            context = {
                "task": _CardStandIn(task),
                "statuses": TaskStatus,
                "csrf_token": _text_placeholder("csrf"),
                "saved": saved,
                "error": _text_placeholder("error") if refused else "",
                "draft_note": _text_placeholder("draft"),
            }
            shape = self._all_shapes[key] = self.template.render(context)
        self.shapes[key[3:6]] = shape
        return shape

    def __call__(self, task: Task, *, saved: bool = False, error: str = "", draft_note: str = "") -> str:
        shape = self._shape(task, saved, bool(error))
        if self.csrf_token is None:
            self.csrf_token = get_token(self.request)
        values = {
            "note": task.last_note or "",
            "name": task.name,
            "progress": task.progress,
            "campaign": task.campaign.name,
            "stage": task.stage.name,
            "csrf": self.csrf_token,
            "error": error,
            "draft": draft_note,
        }

        def value(match: re.Match) -> str:
            if match.group(1):
                return conditional_escape(values[match.group(1)])
            if match.group(0) == str(PK_PLACEHOLDER):
                return str(task.pk)
            return date_format(task.due_date, "Y-m-d")

        return mark_safe(self.PLACEHOLDER.sub(value, shape))  # noqa: S308 -- the template's text, values escaped


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
    require(permissions.can_view_task(request.user, task))
    today = timezone.localdate()
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "overdue": task.is_overdue(today),
            "consulted": [a for a in task.assignments.all() if a.role == AssignmentRole.CONSULTED],
            "informed": [a for a in task.assignments.all() if a.role == AssignmentRole.INFORMED],
            "can_change_status": permissions.can_change_status(request.user, task),
            "can_manage": permissions.can_manage_tasks(request.user, task.campaign),
            "status_form": StatusForm(initial={"status": task.status, "progress": task.progress}),
            "statuses": TaskStatus,
        },
    )


@require_POST
def task_status(request, pk: int):
    """Change a task's status (or add a note) in place: htmx swaps the task's card."""
    form = StatusForm(request.POST)
    error, update = None, None
    # The task is read with its row lock, in the transaction that records the change: one
    # statement where reading it and then locking it took two (the service is told it is locked).
    with transaction.atomic():
        task = get_object_or_404(selectors.tasks_locked_for_status_change(), pk=pk)
        require(permissions.can_change_status(request.user, task))
        if form.is_valid():
            try:
                update = services.task_set_status(
                    task=task,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    progress=form.cleaned_data["progress"],
                    by=request.user,
                    locked=True,
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
        else:
            error = " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
    if _is_htmx(request):
        task.overdue = task.is_overdue(timezone.localdate())
        # The note the update carries (a blocked task's standing reason when none was typed).
        task.last_note = update.note if update is not None else None
        card = CardRenderer(request)(
            task, saved=not error, error=error or "", draft_note=form.data.get("note", "") if error else ""
        )
        # 200 either way: htmx swaps only successful responses, and the card shows the error.
        return HttpResponse(card)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Status saved."))
    return redirect(safe_next_url(request, request.POST.get("next"), fallback=task.get_absolute_url()))


def task_create(request, pk: int, *, aside_url: str = ""):
    """The new task form of a campaign; `aside_url`, a panel a higher layer serves beside it
    (the lessons of past campaigns, static/js/lessons_panel.js)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    require(permissions.can_manage_tasks(request.user, campaign))
    form = TaskForm(request.POST or None, campaign=campaign, initial={"accountable": campaign.owner_id})
    if request.method == "POST" and form.is_valid():
        task = submit(
            form,
            services.task_create,
            campaign=campaign,
            data=TaskInput(**_task_fields(form)),
            by=request.user,
            consulted=form.parties("consulted"),
            informed=form.parties("informed"),
        )
        if task:
            messages.success(request, _("The task has been created."))
            return redirect(task)
    return render(
        request,
        "tasks/task_form.html",
        {"form": form, "campaign": campaign, "title": _("New task"), "aside_url": aside_url},
    )


def task_edit(request, pk: int):
    task = get_object_or_404(Task.objects.select_related("campaign"), pk=pk)
    require(permissions.can_manage_tasks(request.user, task.campaign))
    form = TaskForm(request.POST or None, instance=task, campaign=task.campaign)
    if request.method == "POST" and form.is_valid():
        saved = submit(
            form,
            services.task_update,
            task=task,
            data=TaskInput(**_task_fields(form)),
            by=request.user,
            consulted=form.parties("consulted"),
            informed=form.parties("informed"),
        )
        if saved:
            messages.success(request, _("The task has been saved."))
            return redirect(task)
    return render(request, "tasks/task_form.html", {"form": form, "campaign": task.campaign, "title": _("Edit task")})


def _task_fields(form) -> dict:
    data = {name: value for name, value in form.cleaned_data.items() if name not in ("consulted", "informed")}
    data["departments"] = list(data.get("departments") or [])
    return data
