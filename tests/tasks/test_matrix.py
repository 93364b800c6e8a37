"""The campaign's RACI matrix page and its in-place C/I editing."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tasks.models import Assignment, Task, TaskStatus
from tests.factories import CampaignFactory, DepartmentFactory, StageFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


class _Matrix(HTMLParser):
    """The matrix as the page draws it: for each task row, the letter under each person's and
    department's column, and which rows are flagged overdue."""

    def __init__(self, html: str):
        super().__init__()
        self.columns: list[dict] = []
        self.table_class = ""
        self.rows: dict[int, list[dict]] = {}
        self.row_classes: dict[int, str] = {}
        self.order: list[int] = []
        self._in_head = False
        self._header_row: list[dict] = []
        self._row: int | None = None
        self._cell: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "table" and attrs.get("id") == "raci-table":
            self.table_class = attrs.get("class", "")
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._in_head:
            self._header_row = []
        elif tag == "th" and self._in_head:
            self._header_row.append(attrs)
        elif tag == "tr" and "data-task" in attrs:
            self._row = int(attrs["data-task"])
            self.rows[self._row] = []
            self.row_classes[self._row] = attrs.get("class", "")
            self.order.append(self._row)
        elif tag in ("th", "td") and self._row is not None:
            self._cell = {**attrs, "text": ""}
            self.rows[self._row].append(self._cell)

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
            self.columns = self._header_row
        elif tag == "tr":
            self._row = None
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data

    def roles(self, task) -> dict[tuple[str, int], str]:
        """{("user" | "department", id): letter} for the task's non-empty cells."""
        found = {}
        for column, cell in zip(self.columns, self.rows[task.pk], strict=True):
            if column.get("data-kind") and (cell.get("data-role") or "raci-collab" in cell.get("class", "")):
                found[(column["data-kind"], int(column["data-id"]))] = cell.get("data-role", "") + (
                    "+collab" if "raci-collab" in cell.get("class", "") else ""
                )
        return found

    @property
    def editable(self) -> bool:
        return "raci-editable" in self.table_class.split()

    def column_ids(self, kind: str) -> list[int]:
        return [int(column["data-id"]) for column in self.columns if column.get("data-kind") == kind]


def _matrix_url(campaign, **query) -> str:
    url = reverse("tasks:raci_matrix", args=[campaign.pk])
    if query:
        url += "?" + "&".join(f"{name}={value}" for name, value in query.items())
    return url


def _assign_url(campaign) -> str:
    return reverse("tasks:raci_assign", args=[campaign.pk])


@pytest.fixture
def campaign(manager):
    return CampaignFactory(owner=manager)


@pytest.fixture
def people():
    return {name: UserFactory(username=name, name=name.title()) for name in ("alice", "bob", "carol", "dave")}


@pytest.fixture
def raci_task(campaign, people):
    """A task with every role: Alice R, Bob A, Carol C, Dave I, Design collaborating and Sales informed."""
    design, sales = DepartmentFactory(name="Design"), DepartmentFactory(name="Sales")
    task = TaskFactory(
        stage=StageFactory(campaign=campaign),
        responsible=people["alice"],
        accountable=people["bob"],
        name="Detail page",
    )
    task.departments.add(design)
    Assignment.objects.create(task=task, role="C", user=people["carol"])
    Assignment.objects.create(task=task, role="I", user=people["dave"])
    Assignment.objects.create(task=task, role="I", department=sales)
    return task


def test_the_matrix_shows_each_persons_and_departments_role_on_a_task(client, manager, raci_task, people):
    client.force_login(manager)

    response = client.get(_matrix_url(raci_task.campaign))

    assert response.status_code == 200
    matrix = _Matrix(response.content.decode())
    design, sales = raci_task.departments.get(), Assignment.objects.get(department__isnull=False).department
    assert matrix.roles(raci_task) == {
        ("user", people["alice"].pk): "R",
        ("user", people["bob"].pk): "A",
        ("user", people["carol"].pk): "C",
        ("user", people["dave"].pk): "I",
        ("department", design.pk): "+collab",
        ("department", sales.pk): "I",
    }


def test_a_person_who_is_both_responsible_and_accountable_shows_both(client, manager, campaign, people):
    task = TaskFactory(stage=StageFactory(campaign=campaign), responsible=people["alice"], accountable=people["alice"])
    client.force_login(manager)

    matrix = _Matrix(client.get(_matrix_url(campaign)).content.decode())

    assert matrix.roles(task) == {("user", people["alice"].pk): "R/A"}


def test_only_overdue_tasks_are_flagged_overdue(client, manager, campaign):
    today = timezone.localdate()
    stage = StageFactory(campaign=campaign)
    late = TaskFactory(stage=stage, name="Late", due_date=today - timedelta(days=1))
    late_but_done = TaskFactory(stage=stage, name="Done late", due_date=today - timedelta(days=1), status="done")
    due_today = TaskFactory(stage=stage, name="Due today", due_date=today)
    client.force_login(manager)

    response = client.get(_matrix_url(campaign))

    matrix = _Matrix(response.content.decode())
    assert "raci-overdue" in matrix.row_classes[late.pk]
    assert "raci-overdue" not in matrix.row_classes[late_but_done.pk]
    assert "raci-overdue" not in matrix.row_classes[due_today.pk]
    assert response.content.decode().count("raci-overdue-flag") == 1
    assert response.context["overdue_count"] == 1


def test_tasks_are_grouped_by_stage_in_stage_order_and_link_to_their_page(client, manager, campaign):
    launch = StageFactory(campaign=campaign, position=2, name_en="Launch")
    warm_up = StageFactory(campaign=campaign, position=1, name_en="Warm-up")
    first = TaskFactory(stage=launch, due_date=timezone.localdate())
    second = TaskFactory(stage=warm_up, due_date=timezone.localdate() + timedelta(days=9))
    client.force_login(manager)

    response = client.get(_matrix_url(campaign))

    html = response.content.decode()
    assert _Matrix(html).order == [second.pk, first.pk]
    assert html.index("Warm-up") < html.index("Launch")
    assert f'href="{reverse("tasks:task_detail", args=[first.pk])}"' in html


def test_filtering_by_person_keeps_their_tasks_and_only_the_columns_that_appear(client, manager, campaign, people):
    stage = StageFactory(campaign=campaign)
    hers = TaskFactory(stage=stage, responsible=people["alice"], accountable=people["bob"])
    other = TaskFactory(stage=stage, responsible=people["carol"], accountable=people["dave"])
    client.force_login(manager)

    matrix = _Matrix(client.get(_matrix_url(campaign, person=people["alice"].pk)).content.decode())

    assert matrix.order == [hers.pk]
    assert other.pk not in matrix.rows
    assert sorted(matrix.column_ids("user")) == sorted([people["alice"].pk, people["bob"].pk])


def test_filtering_by_stage_and_status(client, manager, campaign):
    prep, launch = StageFactory(campaign=campaign, position=0), StageFactory(campaign=campaign, position=1)
    blocked_in_launch = TaskFactory(stage=launch, status=TaskStatus.BLOCKED)
    TaskFactory(stage=launch, status=TaskStatus.IN_PROGRESS)
    TaskFactory(stage=prep, status=TaskStatus.BLOCKED)
    client.force_login(manager)

    matrix = _Matrix(client.get(_matrix_url(campaign, stage=launch.pk, status="blocked")).content.decode())

    assert matrix.order == [blocked_in_launch.pk]


def test_filtering_by_department_keeps_collaborating_and_consulted_or_informed_tasks(client, manager, campaign):
    stage = StageFactory(campaign=campaign)
    design = DepartmentFactory(name="Design")
    collaborating = TaskFactory(stage=stage)
    collaborating.departments.add(design)
    informed = TaskFactory(stage=stage)
    Assignment.objects.create(task=informed, role="I", department=design)
    TaskFactory(stage=stage)
    client.force_login(manager)

    matrix = _Matrix(client.get(_matrix_url(campaign, department=design.pk)).content.decode())

    assert sorted(matrix.order) == sorted([collaborating.pk, informed.pk])
    assert matrix.column_ids("department") == [design.pk]


def test_an_unknown_filter_value_is_ignored(client, manager, raci_task):
    client.force_login(manager)

    response = client.get(_matrix_url(raci_task.campaign, status="lost", stage="x", person="-1"))

    assert response.status_code == 200
    assert _Matrix(response.content.decode()).order == [raci_task.pk]


def test_a_staff_member_sees_only_the_tasks_they_take_part_in(client, make_user, campaign):
    staffer = make_user(Role.STAFF, username="staffer", name="Staffer")
    stage = StageFactory(campaign=campaign)
    theirs = TaskFactory(stage=stage, name="Their task")
    Assignment.objects.create(task=theirs, role="I", user=staffer)
    TaskFactory(stage=stage, name="Other team task")
    client.force_login(staffer)

    response = client.get(_matrix_url(campaign))

    assert response.status_code == 200
    assert _Matrix(response.content.decode()).order == [theirs.pk]
    assert "Other team task" not in response.content.decode()


def test_a_staff_member_not_involved_sees_an_empty_matrix(client, make_user, raci_task):
    staffer = make_user(Role.STAFF, username="outsider")
    client.force_login(staffer)

    response = client.get(_matrix_url(raci_task.campaign))

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert raci_task.name not in response.content.decode()


def test_only_those_who_manage_tasks_get_editable_cells_and_the_import_button(client, manager, make_user, raci_task):
    import_url = reverse("tasks:tasks_import", args=[raci_task.campaign_id])
    client.force_login(manager)
    as_manager = client.get(_matrix_url(raci_task.campaign)).content.decode()
    client.force_login(make_user(Role.EXECUTIVE))
    as_executive = client.get(_matrix_url(raci_task.campaign)).content.decode()

    assert _Matrix(as_manager).editable
    assert import_url in as_manager
    assert not _Matrix(as_executive).editable
    assert import_url not in as_executive
    assert reverse("tasks:tasks_export", args=[raci_task.campaign_id]) in as_executive


# Setting C / I from the grid ----------------------------------------------------------------


def test_a_manager_makes_a_person_consulted_from_the_grid(client, manager, raci_task):
    newcomer = UserFactory(name="Erin")
    client.force_login(manager)

    response = client.post(
        _assign_url(raci_task.campaign),
        {"task": raci_task.pk, "user": newcomer.pk, "role": "C"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert Assignment.objects.get(task=raci_task, user=newcomer).role == "C"
    assert 'data-role="C"' in response.content.decode()
    assert response.content.decode().lstrip().startswith("<td")


def test_a_manager_changes_consulted_to_informed_and_then_to_nothing(client, manager, raci_task, people):
    client.force_login(manager)
    url = _assign_url(raci_task.campaign)

    client.post(url, {"task": raci_task.pk, "user": people["carol"].pk, "role": "I"})
    assert Assignment.objects.get(task=raci_task, user=people["carol"]).role == "I"

    response = client.post(url, {"task": raci_task.pk, "user": people["carol"].pk, "role": ""})
    assert response.status_code == 200
    assert not Assignment.objects.filter(task=raci_task, user=people["carol"]).exists()
    assert "data-role" not in response.content.decode()


def test_a_manager_makes_a_department_informed_from_the_grid(client, manager, raci_task):
    design = raci_task.departments.get()
    client.force_login(manager)

    response = client.post(
        _assign_url(raci_task.campaign), {"task": raci_task.pk, "department": design.pk, "role": "I"}
    )

    assert response.status_code == 200
    assert Assignment.objects.get(task=raci_task, department=design).role == "I"
    assert "raci-collab" in response.content.decode()  # still a collaborating department too


def test_a_staff_member_may_not_set_roles_and_nothing_changes(client, make_user, raci_task):
    staffer = make_user(Role.STAFF)
    Assignment.objects.create(task=raci_task, role="I", user=staffer)  # they can see the task
    client.force_login(staffer)

    response = client.post(_assign_url(raci_task.campaign), {"task": raci_task.pk, "user": staffer.pk, "role": "C"})

    assert response.status_code == 403
    assert Assignment.objects.get(task=raci_task, user=staffer).role == "I"


def test_a_staff_member_cannot_add_a_role_row(client, make_user, raci_task):
    staffer = make_user(Role.STAFF)
    other = UserFactory()
    client.force_login(staffer)

    response = client.post(_assign_url(raci_task.campaign), {"task": raci_task.pk, "user": other.pk, "role": "C"})

    assert response.status_code == 403
    assert not Assignment.objects.filter(user=other).exists()


def test_making_the_responsible_also_consulted_is_refused_with_a_message_in_the_cell(
    client, manager, raci_task, people
):
    client.force_login(manager)

    response = client.post(
        _assign_url(raci_task.campaign), {"task": raci_task.pk, "user": people["alice"].pk, "role": "C"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "raci-message" in html
    assert "already Responsible or Accountable" in html
    assert 'data-role="R"' in html
    assert not Assignment.objects.filter(task=raci_task, user=people["alice"]).exists()


def test_an_unknown_role_is_refused_with_a_message(client, manager, raci_task, people):
    client.force_login(manager)

    response = client.post(
        _assign_url(raci_task.campaign), {"task": raci_task.pk, "user": people["carol"].pk, "role": "X"}
    )

    assert "raci-message" in response.content.decode()
    assert Assignment.objects.get(task=raci_task, user=people["carol"]).role == "C"


def test_a_task_of_another_campaign_cannot_be_assigned_through_this_one(client, manager, raci_task, people):
    other_campaign = CampaignFactory(owner=manager)
    client.force_login(manager)

    response = client.post(_assign_url(other_campaign), {"task": raci_task.pk, "user": people["dave"].pk, "role": "C"})

    assert response.status_code == 404
    assert Assignment.objects.get(task=raci_task, user=people["dave"]).role == "I"


def test_assigning_needs_a_post(client, manager, raci_task):
    client.force_login(manager)

    assert client.get(_assign_url(raci_task.campaign)).status_code == 405


# Query count ----------------------------------------------------------------------------------


def _fill(campaign, count: int, people: list, departments: list) -> None:
    stages = [StageFactory(campaign=campaign, position=position) for position in range(4)]
    today = timezone.localdate()
    tasks = Task.objects.bulk_create(
        Task(
            campaign=campaign,
            stage=stages[n % 4],
            name=f"Task {n}",
            responsible=people[n % len(people)],
            accountable=people[(n + 1) % len(people)],
            due_date=today + timedelta(days=n % 30 - 10),
            status=TaskStatus.values[n % 4],
        )
        for n in range(count)
    )
    Assignment.objects.bulk_create(
        [Assignment(task=task, role="C", user=people[(n + 2) % len(people)]) for n, task in enumerate(tasks)]
        + [
            Assignment(task=task, role="I", department=departments[n % len(departments)])
            for n, task in enumerate(tasks)
        ]
    )
    Task.departments.through.objects.bulk_create(
        Task.departments.through(task_id=task.pk, department_id=departments[(n + 1) % len(departments)].pk)
        for n, task in enumerate(tasks)
    )


@pytest.mark.parametrize("role", [Role.MARKETING_MANAGER, Role.STAFF])
def test_the_matrix_runs_the_same_queries_for_10_and_1000_tasks(client, make_user, count_queries, role):
    viewer = make_user(role, department=DepartmentFactory(name="Marketing"))
    people = [UserFactory(username=f"p{n}") for n in range(5)] + [viewer]
    departments = [DepartmentFactory(name=f"Dept {n}") for n in range(3)]
    small, large = CampaignFactory(owner=viewer), CampaignFactory(owner=viewer)
    _fill(small, 10, people, departments)
    _fill(large, 1000, people, departments)
    client.force_login(viewer)
    client.get(_matrix_url(small))

    queries_small = count_queries(lambda: client.get(_matrix_url(small)))
    queries_large = count_queries(lambda: client.get(_matrix_url(large)))

    assert queries_small == queries_large
    assert client.get(_matrix_url(large)).context["total"] == 1000


def test_a_filtered_matrix_runs_the_same_queries_as_the_whole(client, manager, count_queries):
    people = [UserFactory(username=f"p{n}") for n in range(3)]
    departments = [DepartmentFactory(name=f"Dept {n}") for n in range(2)]
    campaign = CampaignFactory(owner=manager)
    _fill(campaign, 40, people, departments)
    client.force_login(manager)
    client.get(_matrix_url(campaign))

    whole = count_queries(lambda: client.get(_matrix_url(campaign)))
    filtered = count_queries(lambda: client.get(_matrix_url(campaign, person=people[0].pk, status="done")))

    assert whole == filtered
