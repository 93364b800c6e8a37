"""Reads for tasks: querysets and plain data for pages, the API and jobs, in fixed queries."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department, User
from core.ids import parse_id
from core.prepared import CompiledQuery
from plans.models import Campaign, in_reader_language

from . import extras
from .models import Assignment, DailyCheckIn, Milestone, Stage, StatusUpdate, Task, TaskStatus, is_overdue
from .timeline import Timeline, build_timeline


def task_list() -> QuerySet[Task]:
    """Tasks with everything a list shows: campaign, stage, milestone, R, A, departments, C/I."""
    return Task.objects.select_related("campaign", "stage", "milestone", "responsible", "accountable").prefetch_related(
        "departments",
        Prefetch("assignments", queryset=Assignment.objects.select_related("user", "department")),
    )


def _latest_update(field: str) -> Subquery:
    """A field of the task's latest status update, as a subquery of a task queryset."""
    latest = StatusUpdate.objects.filter(task_id=OuterRef("pk")).order_by("-created_at", "-pk")
    return Subquery(latest.values(field)[:1])


def with_last_note(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Add `last_note` and `last_update_at`, the latest status update's, as annotations."""
    return tasks.annotate(last_note=_latest_update("note"), last_update_at=_latest_update("created_at"))


def with_blocked_reason(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Add `blocked_reason`: the note of the task's latest update that set it blocked (a blocked
    task's reason), as an annotation, so a list of any length shows it in the same query."""
    latest = StatusUpdate.objects.filter(task_id=OuterRef("pk"), new_status=TaskStatus.BLOCKED).order_by(
        "-created_at", "-pk"
    )
    return tasks.annotate(blocked_reason=Subquery(latest.values("note")[:1]))


# My tasks shows this many cards of each group; the rest of a group is a click away, in pages.
MY_TASKS_SHOWN = 30
MY_TASKS_PAGE = 50
MY_TASK_GROUPS = ("overdue", "blocked", "this_week", "later", "done")


def _week_end(today: date) -> date:
    # "This week" is the coming seven days, so that Sunday evening's list is not empty.
    return today + timedelta(days=7)


def _done_since() -> datetime:
    # Done tasks leave My tasks a week after they were last updated.
    return timezone.now() - timedelta(days=7)


def _my_task_filters(today: date, *, week_end: date | None = None, done_since: datetime | None = None) -> dict[str, Q]:
    """Each group of My tasks as a filter; a task is in one group at most (a blocked task past
    its due date is overdue; done tasks leave the page a week after they were last updated)."""
    week_end = week_end or _week_end(today)
    done_since = done_since or _done_since()
    working = [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS]
    return {
        "overdue": ~Q(status=TaskStatus.DONE) & Q(due_date__lt=today),
        "blocked": Q(status=TaskStatus.BLOCKED, due_date__gte=today),
        "this_week": Q(status__in=working, due_date__gte=today, due_date__lte=week_end),
        "later": Q(status__in=working, due_date__gt=week_end),
        "done": Q(status=TaskStatus.DONE, updated_at__gte=done_since),
    }


def _my_task_cards(user, condition: Q) -> QuerySet[Task]:
    tasks = Task.objects.select_related("campaign", "stage", "accountable").filter(condition, responsible=user)
    return with_blocked_reason(with_last_note(tasks)).order_by("due_date", "pk")


def _my_task_counts(user, filters: dict[str, Q]) -> dict[str, int]:
    """How many of the person's tasks each group holds, in one aggregate query."""
    return Task.objects.filter(responsible=user).aggregate(
        **{name: Count("pk", filter=condition) for name, condition in filters.items()}
    )


@dataclass
class MyTaskCard:
    """What a card of My tasks shows of a task, read as plain values (no model instance): the
    card's template and `tasks.views.tasks.CardRenderer` read these attributes."""

    pk: int
    name: str
    status: str
    progress: int
    due_date: date
    campaign: SimpleNamespace
    stage: SimpleNamespace
    last_note: str | None
    overdue: bool = False

    @property
    def id(self) -> int:
        return self.pk

    def get_status_display(self) -> str:
        return TaskStatus(self.status).label

    def get_absolute_url(self) -> str:
        return reverse("tasks:task_detail", args=[self.pk])

    def is_overdue(self, today: date) -> bool:
        return is_overdue(self.status, self.due_date, today)


# Stand-ins for what varies in My tasks' statement (core.prepared): values that none of the
# statement's constant parameters has.
_PERSON_STAND_IN = 987_654_321_987
_TODAY_STAND_IN = date(1111, 1, 11)


def _my_task_overview_query(person: int, today: date, week_end: date, done_since: datetime) -> QuerySet:
    filters = _my_task_filters(today, week_end=week_end, done_since=done_since)
    label = Case(*(When(condition, then=Value(name)) for name, condition in filters.items()), default=None)
    in_group = Window(RowNumber(), partition_by=[F("my_group")], order_by=[F("due_date").asc(), F("pk").asc()])
    group_size = Window(Count("pk"), partition_by=[F("my_group")])
    return (
        Task.objects.filter(responsible_id=person)
        .annotate(my_group=label, last_note=_latest_update("note"))
        .filter(my_group__isnull=False)
        .annotate(place_in_group=in_group, group_size=group_size)
        .filter(place_in_group__lte=MY_TASKS_SHOWN)
        .order_by("due_date", "pk")
        .values_list(
            "pk",
            "name",
            "status",
            "progress",
            "due_date",
            "campaign__name",
            "stage__name_en",
            "stage__name_zh",
            "last_note",
            "my_group",
            "group_size",
        )
    )


# Compiled once: compiling the statement cost five times what running it did.
_MY_TASK_OVERVIEW = CompiledQuery(
    _my_task_overview_query,
    person=_PERSON_STAND_IN,
    today=_TODAY_STAND_IN,
    week_end=_TODAY_STAND_IN + timedelta(days=3),
    done_since=datetime(1111, 1, 12, 11, 11, 11, tzinfo=UTC),
)


def _my_task_overview(user, today: date) -> tuple[dict[str, list[MyTaskCard]], dict[str, int]]:
    """The first MY_TASKS_SHOWN cards of every group and each group's count, in one query: each
    task is labelled with its group, numbered within it and told the group's size (window
    functions), and only the first of each group come back. Compiling and running one
    statement costs a fifth of one a group and a count (bench/journey_load.py), and the
    statement is compiled once (`_MY_TASK_OVERVIEW`)."""
    groups: dict[str, list[MyTaskCard]] = {name: [] for name in MY_TASK_GROUPS}
    counts = dict.fromkeys(MY_TASK_GROUPS, 0)
    rows = _MY_TASK_OVERVIEW.rows(person=user.pk, today=today, week_end=_week_end(today), done_since=_done_since())
    for pk, name, status, progress, due, campaign, stage_en, stage_zh, note, group, size in rows:
        stage = SimpleNamespace(name=in_reader_language(stage_en, stage_zh))
        card = MyTaskCard(pk, name, status, progress, due, SimpleNamespace(name=campaign), stage, note)
        groups[group].append(card)
        counts[group] = size
    return groups, counts


def _flag_overdue(tasks, today: date) -> list[Task]:
    tasks = list(tasks)
    for task in tasks:
        task.overdue = task.is_overdue(today)
    return tasks


def my_tasks(*, user, today: date | None = None, group: str | None = None, page: str | int | None = None) -> dict:
    """The tasks where a person is Responsible, grouped the way they work through them in the
    morning: overdue, blocked, due in the next seven days, later; and recently done. The first
    MY_TASKS_SHOWN of each group with each group's count (a fixed number of queries, however
    many tasks a person has); with `group`, that whole group in pages of MY_TASKS_PAGE."""
    today = today or timezone.localdate()
    filters = _my_task_filters(today)
    if group not in filters:
        groups, counts = _my_task_overview(user, today)
    else:
        counts = _my_task_counts(user, filters)
    data = {
        "today": today,
        "counts": counts,
        "open_count": sum(counts[name] for name in MY_TASK_GROUPS if name != "done"),
        "count": sum(counts.values()),
        "shown": MY_TASKS_SHOWN,
        "checked_in": DailyCheckIn.objects.filter(user=user, date=today).exists(),
        "updated_today": StatusUpdate.objects.filter(author=user, created_at__date=today).exists(),
    }
    if group in filters:
        paginator = Paginator(_my_task_cards(user, filters[group]), MY_TASKS_PAGE)
        page_obj = paginator.get_page(page)
        page_obj.object_list = _flag_overdue(page_obj.object_list, today)
        return {**data, "group": group, "page_obj": page_obj, "groups": {group: page_obj.object_list}}
    return {
        **data,
        "groups": {name: _flag_overdue(cards, today) for name, cards in groups.items()},
        # follow-up actions and whatever else the apps above register (tasks.extras)
        "extras": extras.sections_for(user=user, today=today),
    }


def my_task_summary(*, user, today: date | None = None, blocked_shown: int = 10) -> dict:
    """The dashboard's summary of My tasks: each group's count and the first blocked tasks with
    their reasons, in two queries whatever the number of tasks."""
    today = today or timezone.localdate()
    filters = _my_task_filters(today)
    counts = _my_task_counts(user, filters)
    blocked = list(_my_task_cards(user, filters["blocked"])[:blocked_shown]) if counts["blocked"] else []
    return {"count": sum(counts.values()), "counts": counts, "blocked": blocked}


def team_tasks(*, departments: list[Department], today: date | None = None, limit: int = 20) -> dict:
    """The overdue and the blocked tasks (blocked with their reason) whose Responsible is in
    one of the departments, most urgent first, at most `limit` of each, with their counts: a
    department lead's view of their people's work, in four queries. As on My tasks, a blocked
    task past its deadline is listed as overdue (with its reason), not twice."""
    today = today or timezone.localdate()
    people = User.objects.filter(department__in=departments)
    tasks = Task.objects.filter(responsible__in=people).select_related("campaign", "responsible")
    overdue = tasks.overdue(today=today)
    blocked = tasks.filter(status=TaskStatus.BLOCKED, due_date__gte=today)
    overdue_list = list(with_blocked_reason(overdue).order_by("due_date", "pk")[:limit])
    blocked_list = list(with_blocked_reason(blocked).order_by("due_date", "pk")[:limit])
    return {
        "overdue": overdue_list,
        "overdue_count": overdue.count(),
        "blocked": blocked_list,
        "blocked_count": blocked.count(),
    }


# What the status change reads of the task, with its row lock: what the permission, the
# service and the card use (tests/tasks/test_status_change_queries.py counts the queries, so a
# field used and not read here shows there). Selecting and loading all 38 columns of the task,
# its campaign and its stage took a quarter of the read's CPU time (bench/tasks_bench.py).
_STATUS_CHANGE_FIELDS = (
    "name",
    "status",
    "progress",
    "due_date",
    "responsible_id",
    "accountable_id",
    "milestone_id",
    "campaign__name",
    "stage__name_en",
    "stage__name_zh",
)


def tasks_locked_for_status_change() -> QuerySet[Task]:
    """Tasks as the status change reads one: with its row lock (inside the caller's
    transaction: one statement where reading then locking took two) and only the fields above."""
    return Task.objects.select_for_update(of=("self",)).select_related("campaign", "stage").only(*_STATUS_CHANGE_FIELDS)


def task_detail(*, task_id: int) -> Task | None:
    """One task with its RACI, departments, milestone and whole status history."""
    return (
        task_list()
        .prefetch_related(Prefetch("updates", queryset=StatusUpdate.objects.select_related("author")))
        .filter(pk=task_id)
        .first()
    )


SUMMARY_LIST_LENGTH = 10


def campaign_task_summary(*, campaign: Campaign, today: date | None = None) -> dict:
    """Task counts by status and by stage, the overdue and the blocked tasks (with their
    reason) and the next milestones."""
    today = today or timezone.localdate()
    stages = list(campaign.stages.all())
    counts = Task.objects.filter(campaign=campaign).values("stage_id", "status").annotate(n=Count("pk"))
    by_status, by_stage = Counter(), defaultdict(Counter)
    for row in counts:
        by_status[row["status"]] += row["n"]
        by_stage[row["stage_id"]][row["status"]] += row["n"]
    overdue = list(
        Task.objects.overdue(today=today)
        .filter(campaign=campaign)
        .select_related("responsible", "stage")
        .order_by("due_date")[:10]
    )
    blocked = list(
        with_blocked_reason(Task.objects.filter(campaign=campaign, status=TaskStatus.BLOCKED))
        .select_related("responsible", "stage")
        .order_by("due_date", "pk")[:SUMMARY_LIST_LENGTH]
    )
    milestones = list(
        Milestone.objects.filter(campaign=campaign).select_related("stage").order_by("reached_on", "due_date")
    )
    upcoming = [m for m in milestones if m.reached_on is None][:5]
    for milestone in upcoming:
        milestone.missed = milestone.is_missed(today)
    return {
        "campaign": campaign,
        "total": sum(by_status.values()),
        "by_status": [(status, by_status.get(status.value, 0)) for status in TaskStatus],
        "by_stage": [(stage, [by_stage[stage.pk].get(status.value, 0) for status in TaskStatus]) for stage in stages],
        "overdue": overdue,
        "overdue_count": Task.objects.overdue(today=today).filter(campaign=campaign).count(),
        "blocked": blocked,
        "blocked_count": by_status.get(TaskStatus.BLOCKED.value, 0),
        "milestones": upcoming,
        "today": today,
    }


def stage_list(*, campaign: Campaign) -> list[Stage]:
    """A campaign's stages, in order."""
    return list(campaign.stages.all())


def all_stages() -> QuerySet[Stage]:
    """The stages of every campaign (everyone signed in reads campaigns), for the API."""
    return Stage.objects.all()


def milestone_list() -> QuerySet[Milestone]:
    """Milestones of every campaign with their campaign and stage, for the API."""
    return Milestone.objects.select_related("campaign", "stage")


def assignment_list(*, user) -> QuerySet[Assignment]:
    """The Consulted and Informed of the tasks a person may see, with their task, person or department."""
    return Assignment.objects.select_related("task__campaign", "user", "department").filter(
        task__in=Task.objects.visible_to(user)
    )


def status_update_list(*, user) -> QuerySet[StatusUpdate]:
    """The status history of the tasks a person may see, with the task and the author."""
    return StatusUpdate.objects.select_related("task", "author").filter(task__in=Task.objects.visible_to(user))


# RACI matrix (added for tasks/views/matrix.py and tasks/exports.py) -----------------------


@dataclass(frozen=True)
class RaciFilters:
    """What the RACI matrix (and its export) is narrowed to; None or "" is everything."""

    stage: int | None = None
    status: str = ""
    person: int | None = None
    department: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.stage or self.status or self.person or self.department)


@dataclass
class RaciRow:
    """One task of the matrix: its R/A/C/I people and its departments' C/I and collaboration."""

    task: Task
    overdue: bool
    people: dict[int, str]  # user id -> "R", "A", "R/A", "C" or "I"
    departments: dict[int, str] = field(default_factory=dict)  # department id -> "C", "I" or ""
    collaborating: set[int] = field(default_factory=set)


def raci_tasks(*, campaign: Campaign, user) -> QuerySet[Task]:
    """The campaign's tasks a person may see, in stage order, with R, A, departments and C/I."""
    return task_list().filter(campaign=campaign).visible_to(user).order_by(*RACI_ORDER)


RACI_ORDER = ("stage__position", "stage_id", "due_date", "pk")


def _raci_owners(task: Task, *, today: date) -> RaciRow:
    people = {task.responsible_id: "R"}
    people[task.accountable_id] = "R/A" if task.accountable_id == task.responsible_id else "A"
    return RaciRow(task=task, overdue=task.is_overdue(today), people=people)


def _raci_add(row: RaciRow, *, role: str, user_id: int | None, department_id: int | None) -> None:
    if user_id:
        row.people.setdefault(user_id, role)  # the R and the A keep their letter
    else:
        row.departments[department_id] = role


def _raci_collaborate(row: RaciRow, department_id: int) -> None:
    row.collaborating.add(department_id)
    row.departments.setdefault(department_id, "")


def raci_row(task: Task, *, today: date) -> RaciRow:
    """A task's roles as the matrix shows them, from task_list()'s prefetches."""
    row = _raci_owners(task, today=today)
    for assignment in task.assignments.all():
        _raci_add(row, role=assignment.role, user_id=assignment.user_id, department_id=assignment.department_id)
    for department in task.departments.all():
        _raci_collaborate(row, department.pk)
    return row


def raci_matches(row: RaciRow, filters: RaciFilters) -> bool:
    task = row.task
    return (
        (not filters.stage or task.stage_id == filters.stage)
        and (not filters.status or task.status == filters.status)
        and (not filters.person or filters.person in row.people)
        and (not filters.department or filters.department in row.departments)
    )


def raci_condition(filters: RaciFilters) -> Q:
    """The filters as SQL: the same rows `raci_matches` keeps (a person holds any of R, A, C, I;
    a department is C, I or collaborating)."""
    condition = Q()
    if filters.stage:
        condition &= Q(stage_id=filters.stage)
    if filters.status:
        condition &= Q(status=filters.status)
    if filters.person:
        condition &= (
            Q(responsible_id=filters.person)
            | Q(accountable_id=filters.person)
            | Exists(Assignment.objects.filter(task_id=OuterRef("pk"), user_id=filters.person))
        )
    if filters.department:
        condition &= Exists(
            Assignment.objects.filter(task_id=OuterRef("pk"), department_id=filters.department)
        ) | Exists(Task.departments.through.objects.filter(task_id=OuterRef("pk"), department_id=filters.department))
    return condition


# The matrix shows this many tasks a page: beyond a few hundred rows a grid is no longer read,
# and the page's time and size would grow with the campaign.
RACI_PAGE_SIZE = 200


@dataclass(frozen=True)
class RaciPage:
    number: int
    count: int  # pages
    first: int  # 1-based position of the page's first row among the shown tasks
    last: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def _page_number(page, pages: int) -> int:
    number = parse_id(page) or 1
    return min(number, pages)


def raci_matrix(*, campaign: Campaign, user, filters: RaciFilters, today: date | None = None, page=None) -> dict:
    """The RACI grid of a campaign as a person may see it, one page of RACI_PAGE_SIZE tasks at a
    time: rows grouped by stage, the people and departments that appear in them as columns, and
    the filter choices, in eight queries whatever the number of tasks. Roles are read as plain
    ids and people and departments loaded once, rather than a user or department object per
    cell. The counts (all, shown, overdue, per stage) are one aggregate over every task."""
    today = today or timezone.localdate()
    stages = list(campaign.stages.all())
    tasks = Task.objects.filter(campaign=campaign).visible_to(user)
    visible = tasks.values("pk")
    condition = raci_condition(filters)
    overdue = Q(due_date__lt=today) & ~Q(status=TaskStatus.DONE)
    counts = {
        row["stage_id"]: row
        for row in tasks.order_by()
        .values("stage_id")
        .annotate(
            all=Count("pk"),
            shown=Count("pk", filter=condition) if filters.active else Count("pk"),
            overdue=Count("pk", filter=condition & overdue if filters.active else overdue),
        )
    }
    shown_count = sum(row["shown"] for row in counts.values())
    pages = max(1, -(-shown_count // RACI_PAGE_SIZE))
    number = _page_number(page, pages)
    offset = (number - 1) * RACI_PAGE_SIZE
    page_tasks = with_blocked_reason(
        tasks.filter(condition).only("name", "stage", "status", "due_date", "responsible", "accountable")
    ).order_by(*RACI_ORDER)[offset : offset + RACI_PAGE_SIZE]
    rows = {task.pk: _raci_owners(task, today=today) for task in page_tasks}
    assignments = Assignment.objects.filter(task_id__in=visible)
    collaborations = Task.departments.through.objects.filter(task_id__in=visible)
    page_ids = list(rows)
    for task_id, role, user_id, department_id in assignments.filter(task_id__in=page_ids).values_list(
        "task_id", "role", "user_id", "department_id"
    ):
        _raci_add(rows[task_id], role=role, user_id=user_id, department_id=department_id)
    for task_id, department_id in collaborations.filter(task_id__in=page_ids).values_list("task_id", "department_id"):
        _raci_collaborate(rows[task_id], department_id)
    people = {
        person.pk: person
        for person in User.objects.filter(
            Q(pk__in=tasks.values("responsible_id"))
            | Q(pk__in=tasks.values("accountable_id"))
            | Q(pk__in=assignments.filter(user__isnull=False).values("user_id"))
        )
    }
    departments = {
        department.pk: department
        for department in Department.objects.filter(
            Q(pk__in=collaborations.values("department_id"))
            | Q(pk__in=assignments.filter(department__isnull=False).values("department_id"))
        )
    }

    shown = list(rows.values())
    shown_people = {person_id for row in shown for person_id in row.people}
    shown_departments = {department_id for row in shown for department_id in row.departments}

    def by_name(objects, key):
        return sorted(objects, key=lambda obj: (key(obj).casefold(), obj.pk))

    by_stage: dict[int, list[RaciRow]] = defaultdict(list)
    for row in shown:
        by_stage[row.task.stage_id].append(row)
    return {
        "campaign": campaign,
        "today": today,
        "stages": stages,
        # each stage on this page: its rows here, and how many of the shown tasks it holds in all
        "groups": [
            (stage, by_stage[stage.pk], counts[stage.pk]["shown"]) for stage in stages if by_stage.get(stage.pk)
        ],
        "rows": shown,
        "people": by_name([people[pk] for pk in shown_people if pk in people], lambda p: p.display_name),
        "departments": by_name([departments[pk] for pk in shown_departments if pk in departments], lambda d: d.name),
        "all_people": by_name(people.values(), lambda person: person.display_name),
        "all_departments": by_name(departments.values(), lambda department: department.name),
        "total": sum(row["all"] for row in counts.values()),
        "shown_count": shown_count,
        "overdue_count": sum(row["overdue"] for row in counts.values()),
        "page": RaciPage(number=number, count=pages, first=offset + 1, last=offset + len(shown)),
    }


# Timeline


def campaign_timeline(*, campaign: Campaign, stages: list[Stage], user, today: date) -> Timeline:
    """The laid-out timeline of a campaign as a person sees it (only tasks they may see), in fixed queries."""
    milestones = Milestone.objects.filter(campaign=campaign).only("pk", "stage_id", "name", "due_date", "reached_on")
    tasks = (
        Task.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("responsible")
        .only(
            "pk",
            "stage_id",
            "milestone_id",
            "name",
            "start_date",
            "due_date",
            "status",
            "progress",
            "responsible__name",
            "responsible__first_name",
            "responsible__last_name",
            "responsible__username",
        )
    )
    return build_timeline(
        campaign_start=campaign.start_date,
        campaign_end=campaign.end_date,
        stages=stages,
        milestones=milestones,
        tasks=tasks,
        today=today,
    )
