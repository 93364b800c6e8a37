"""The campaign's RACI matrix (form 1 as a grid): tasks down, people and departments across,
Consulted and Informed set in place with htmx."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Department, User
from core.ids import id_param, parse_id
from plans.models import Campaign

from .. import permissions, selectors, services
from ..models import Assignment, Task, TaskStatus
from ..selectors import RaciFilters, RaciRow

PERSON, DEPARTMENT = "user", "department"
CELL_TEMPLATE = "tasks/_raci_cell.html"
# A pk that cannot occur in a real URL, to build thousands of task links from one reverse().
PK_PLACEHOLDER = 987654321


def filters_from(query: QueryDict) -> RaciFilters:
    """The matrix filters from a query string; anything unreadable is ignored."""
    status = query.get("status", "")
    return RaciFilters(
        stage=parse_id(query.get("stage")),
        status=status if status in TaskStatus.values else "",
        person=parse_id(query.get("person")),
        department=parse_id(query.get("department")),
    )


def _cell_context(*, letter: str, collaborating: bool, message: str = "") -> dict:
    return {"letter": letter, "collaborating": collaborating, "message": message}


class _CellRenderer:
    """The grid has only a handful of kinds of cell: each is rendered from the partial once,
    then reused, so 5,000 tasks by 50 people cost string joins, not 250,000 template renders."""

    def __init__(self):
        self.cache: dict[tuple, str] = {}

    def __call__(self, letter: str, collaborating: bool = False) -> str:
        key = (letter, collaborating)
        if key not in self.cache:
            context = _cell_context(letter=letter, collaborating=collaborating)
            self.cache[key] = render_to_string(CELL_TEMPLATE, context).strip()
        return self.cache[key]

    def row(self, row: RaciRow, people: list[int], departments: list[int]) -> str:
        cells = [self(row.people.get(person, "")) for person in people]
        cells += [
            self(row.departments.get(department, ""), department in row.collaborating) for department in departments
        ]
        return mark_safe("".join(cells))  # noqa: S308 -- rendered by the cell template, which escapes


def _added_columns(request, data: dict, people_choices: list, department_choices: list) -> None:
    """Managers add an empty column for a person or department, to make them C or I."""
    person = parse_id(request.GET.get("add_person"))
    shown = {p.pk for p in data["people"]}
    if person and person not in shown:
        data["people"] += [p for p in people_choices if p.pk == person]
    department = parse_id(request.GET.get("add_department"))
    shown = {d.pk for d in data["departments"]}
    if department and department not in shown:
        data["departments"] += [d for d in department_choices if d.pk == department]


@require_GET
def raci_matrix(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("plan", "owner"), pk=pk)
    filters = filters_from(request.GET)
    data = selectors.raci_matrix(campaign=campaign, user=request.user, filters=filters, page=request.GET.get("page"))
    can_manage = permissions.can_manage_tasks(request.user, campaign)
    people_choices, department_choices = [], []
    if can_manage:
        people_choices = list(User.objects.active().order_by("name", "username"))
        department_choices = list(Department.objects.order_by("name"))
        _added_columns(request, data, people_choices, department_choices)

    cell = _CellRenderer()
    person_ids = [person.pk for person in data["people"]]
    department_ids = [department.pk for department in data["departments"]]
    prefix, suffix = reverse("tasks:task_detail", args=[PK_PLACEHOLDER]).split(str(PK_PLACEHOLDER))
    status_labels = dict(TaskStatus.choices)  # translated once, not once a row
    for row in data["rows"]:
        row.url = f"{prefix}{row.task.pk}{suffix}"
        row.status_label = status_labels.get(row.task.status, row.task.status)
        row.due = row.task.due_date.isoformat()
        row.cells = cell.row(row, person_ids, department_ids)

    shown_people, shown_departments = set(person_ids), set(department_ids)
    export_query = request.GET.copy()
    for name in ("add_person", "add_department", "page"):
        export_query.pop(name, None)
    data.update(
        filters=filters,
        statuses=TaskStatus.choices,
        can_manage=can_manage,
        people_choices=[p for p in people_choices if p.pk not in shown_people],
        department_choices=[d for d in department_choices if d.pk not in shown_departments],
        width=3 + len(person_ids) + len(department_ids),
        export_query=export_query.urlencode(),
        edit_url=reverse("tasks:task_edit", args=[PK_PLACEHOLDER]),
        pk_placeholder=PK_PLACEHOLDER,
    )
    return render(request, "tasks/raci_matrix.html", data)


@require_POST
def raci_assign(request, pk: int):
    """Make a person or a department Consulted, Informed or nothing on a task; answers the
    updated cell (with the reason when the change was refused)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    if not permissions.can_manage_tasks(request.user, campaign):
        raise PermissionDenied
    task_id = id_param(request.POST, "task")
    task = Task.objects.filter(campaign=campaign, pk=task_id).first() if task_id else None
    if task is None:
        raise Http404
    user_id, department_id = id_param(request.POST, PERSON), id_param(request.POST, DEPARTMENT)
    if (user_id is None) == (department_id is None):
        raise Http404
    person = get_object_or_404(User, pk=user_id) if user_id else None
    department = get_object_or_404(Department, pk=department_id) if department_id else None
    role = request.POST.get("role", "").strip().upper()

    message = ""
    try:
        if role:
            if person is not None and not person.is_active:
                raise ValidationError(_("%(person)s is no longer active.") % {"person": person})
            services.assignment_set(task=task, role=role, user=person, department=department, by=request.user)
        else:
            lookup = {"user": person} if person is not None else {"department": department}
            for assignment in Assignment.objects.filter(task=task, **lookup):
                services.assignment_remove(assignment=assignment)
    except ValidationError as exc:
        message = " ".join(exc.messages)

    row = selectors.raci_row(selectors.task_list().get(pk=task.pk), today=timezone.localdate())
    if person is not None:
        context = _cell_context(letter=row.people.get(person.pk, ""), collaborating=False, message=message)
    else:
        context = _cell_context(
            letter=row.departments.get(department.pk, ""),
            collaborating=department.pk in row.collaborating,
            message=message,
        )
    return render(request, CELL_TEMPLATE, context)
