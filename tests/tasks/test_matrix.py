"""The campaign's RACI matrix page: each person's and department's role on each task, grouped
by stage, overdue tasks flagged; filters by person, stage, status and department; staff see
the tasks they take part in; only those who manage tasks get editable cells."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tasks.models import Assignment, TaskStatus
from tests.factories import CampaignFactory, DepartmentFactory, StageFactory, TaskFactory
from tests.tasks.matrix import Matrix, matrix_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(manager):
    return CampaignFactory(owner=manager)


def test_the_matrix_shows_each_persons_and_departments_role_on_a_task(client, manager, raci_task, people):
    client.force_login(manager)

    response = client.get(matrix_url(raci_task.campaign))

    assert response.status_code == 200
    matrix = Matrix(response.content.decode())
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

    matrix = Matrix(client.get(matrix_url(campaign)).content.decode())

    assert matrix.roles(task) == {("user", people["alice"].pk): "R/A"}


def test_only_overdue_tasks_are_flagged_overdue(client, manager, campaign):
    today = timezone.localdate()
    stage = StageFactory(campaign=campaign)
    late = TaskFactory(stage=stage, name="Late", due_date=today - timedelta(days=1))
    late_but_done = TaskFactory(stage=stage, name="Done late", due_date=today - timedelta(days=1), status="done")
    due_today = TaskFactory(stage=stage, name="Due today", due_date=today)
    client.force_login(manager)

    response = client.get(matrix_url(campaign))

    matrix = Matrix(response.content.decode())
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

    response = client.get(matrix_url(campaign))

    html = response.content.decode()
    assert Matrix(html).order == [second.pk, first.pk]
    assert html.index("Warm-up") < html.index("Launch")
    assert f'href="{reverse("tasks:task_detail", args=[first.pk])}"' in html


def test_filtering_by_person_keeps_their_tasks_and_only_the_columns_that_appear(client, manager, campaign, people):
    stage = StageFactory(campaign=campaign)
    hers = TaskFactory(stage=stage, responsible=people["alice"], accountable=people["bob"])
    other = TaskFactory(stage=stage, responsible=people["carol"], accountable=people["dave"])
    client.force_login(manager)

    matrix = Matrix(client.get(matrix_url(campaign, person=people["alice"].pk)).content.decode())

    assert matrix.order == [hers.pk]
    assert other.pk not in matrix.rows
    assert sorted(matrix.column_ids("user")) == sorted([people["alice"].pk, people["bob"].pk])


def test_filtering_by_stage_and_status(client, manager, campaign):
    prep, launch = StageFactory(campaign=campaign, position=0), StageFactory(campaign=campaign, position=1)
    blocked_in_launch = TaskFactory(stage=launch, status=TaskStatus.BLOCKED)
    TaskFactory(stage=launch, status=TaskStatus.IN_PROGRESS)
    TaskFactory(stage=prep, status=TaskStatus.BLOCKED)
    client.force_login(manager)

    matrix = Matrix(client.get(matrix_url(campaign, stage=launch.pk, status="blocked")).content.decode())

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

    matrix = Matrix(client.get(matrix_url(campaign, department=design.pk)).content.decode())

    assert sorted(matrix.order) == sorted([collaborating.pk, informed.pk])
    assert matrix.column_ids("department") == [design.pk]


def test_an_unknown_filter_value_is_ignored(client, manager, raci_task):
    client.force_login(manager)

    response = client.get(matrix_url(raci_task.campaign, status="lost", stage="x", person="-1"))

    assert response.status_code == 200
    assert Matrix(response.content.decode()).order == [raci_task.pk]


def test_a_staff_member_sees_only_the_tasks_they_take_part_in(client, make_user, campaign):
    staffer = make_user(Role.STAFF, username="staffer", name="Staffer")
    stage = StageFactory(campaign=campaign)
    theirs = TaskFactory(stage=stage, name="Their task")
    Assignment.objects.create(task=theirs, role="I", user=staffer)
    TaskFactory(stage=stage, name="Other team task")
    client.force_login(staffer)

    response = client.get(matrix_url(campaign))

    assert response.status_code == 200
    assert Matrix(response.content.decode()).order == [theirs.pk]
    assert "Other team task" not in response.content.decode()


def test_a_staff_member_not_involved_sees_an_empty_matrix(client, make_user, raci_task):
    staffer = make_user(Role.STAFF, username="outsider")
    client.force_login(staffer)

    response = client.get(matrix_url(raci_task.campaign))

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert raci_task.name not in response.content.decode()


def test_only_those_who_manage_tasks_get_editable_cells_and_the_import_button(client, manager, make_user, raci_task):
    import_url = reverse("tasks:tasks_import", args=[raci_task.campaign_id])
    client.force_login(manager)
    as_manager = client.get(matrix_url(raci_task.campaign)).content.decode()
    client.force_login(make_user(Role.EXECUTIVE))
    as_executive = client.get(matrix_url(raci_task.campaign)).content.decode()

    assert Matrix(as_manager).editable
    assert import_url in as_manager
    assert not Matrix(as_executive).editable
    assert import_url not in as_executive
    assert reverse("tasks:tasks_export", args=[raci_task.campaign_id]) in as_executive
