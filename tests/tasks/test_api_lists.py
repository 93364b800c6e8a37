"""The tasks API's lists: the browsable API renders each with its forms, none answers without
a login, and each (and the tasks CSV) runs the same number of queries for 10 and 1,000 rows."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from tasks.models import Assignment, AssignmentRole, Milestone, Stage, StatusUpdate, Task, TaskStatus
from tasks.services import assignment_set, task_set_status
from tests.api import url
from tests.factories import CampaignFactory, DepartmentFactory, MilestoneFactory, StageFactory, UserFactory

pytestmark = pytest.mark.django_db

LISTS = ["stage-list", "milestone-list", "task-list", "assignment-list", "status-update-list"]


@pytest.mark.parametrize("name", LISTS)
def test_the_browsable_api_renders_every_list_with_its_forms(client_as, task, name):
    assignment_set(task=task, role=AssignmentRole.CONSULTED, user=UserFactory())
    task_set_status(task=task, status=TaskStatus.IN_PROGRESS, by=task.responsible, note="Briefed")
    MilestoneFactory(stage=task.stage)

    response = client_as(Role.MARKETING_MANAGER).get(url(name), HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"<form" in response.content


def test_the_browsable_api_offers_the_status_update_form(client_as, task):
    response = client_as(task.responsible).get(url("status-update-list"), HTTP_ACCEPT="text/html")

    assert b'name="note"' in response.content
    assert b'name="status"' in response.content


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_requests_get_401(api_client, name):
    response = api_client.get(url(name))

    assert response.status_code == 401


# Query counts -----------------------------------------------------------------------------


def add_tasks(count, *, department):
    """count tasks in one campaign, each with a collaborating department and a Consulted person."""
    stage = StageFactory()
    milestone = MilestoneFactory(stage=stage)
    people = [UserFactory(), UserFactory(), UserFactory()]
    due = timezone.localdate()
    tasks = Task.objects.bulk_create(
        Task(
            campaign=stage.campaign,
            stage=stage,
            milestone=milestone if n % 2 else None,
            name=f"Task {n}",
            due_date=due + timedelta(days=n % 7 - 3),
            responsible=people[n % 3],
            accountable=people[(n + 1) % 3],
        )
        for n in range(count)
    )
    Task.departments.through.objects.bulk_create(
        Task.departments.through(task_id=task.pk, department_id=department.pk) for task in tasks
    )
    Assignment.objects.bulk_create(
        Assignment(task=task, role=AssignmentRole.CONSULTED, user=people[(n + 2) % 3]) for n, task in enumerate(tasks)
    )
    return tasks


def add_status_updates(count, *, department):
    tasks = add_tasks(2, department=department)
    now = timezone.now()
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            task=tasks[n % 2],
            author=tasks[n % 2].responsible,
            created_at=now - timedelta(minutes=n),
            old_status=TaskStatus.NOT_STARTED,
            new_status=TaskStatus.IN_PROGRESS,
            progress=n % 100,
            note=f"Day {n}",
        )
        for n in range(count)
    )


def add_stages(count, *, department):
    campaign = CampaignFactory()
    Stage.objects.bulk_create(
        Stage(campaign=campaign, name_zh=f"阶段{n}", name_en=f"Stage {n}", position=n) for n in range(count)
    )


def add_milestones(count, *, department):
    stage = StageFactory()
    due = timezone.localdate()
    Milestone.objects.bulk_create(
        Milestone(campaign=stage.campaign, stage=stage, name=f"Milestone {n}", due_date=due + timedelta(days=n))
        for n in range(count)
    )


def add_assignments(count, *, department):
    # One Informed department on each of count tasks.
    add_tasks(count, department=department)
    Assignment.objects.filter(role=AssignmentRole.CONSULTED).update(role=AssignmentRole.INFORMED)


@pytest.mark.parametrize("who", [Role.VIEWER, Role.STAFF])
@pytest.mark.parametrize(
    ("name", "add_rows"),
    [
        ("task-list", add_tasks),
        ("status-update-list", add_status_updates),
        ("assignment-list", add_assignments),
        ("stage-list", add_stages),
        ("milestone-list", add_milestones),
    ],
)
def test_a_list_runs_the_same_number_of_queries_for_10_and_1000_rows(make_user, count_queries, who, name, add_rows):
    # A staff member sees the tasks their department collaborates on: the restricted query.
    department = DepartmentFactory(name="电商运营")
    client = APIClient()
    client.force_login(make_user(who, department=department))

    def get_list():
        return client.get(url(name), {"page_size": 1000})

    add_rows(10, department=department)
    small = count_queries(get_list)
    add_rows(990, department=department)
    response = get_list()
    large = count_queries(get_list)

    assert response.json()["count"] >= 1000
    assert small == large


def test_the_tasks_csv_export_runs_the_same_number_of_queries_for_10_and_1000_tasks(token_client, count_queries):
    department = DepartmentFactory(name="电商运营")

    def export():
        return token_client.get(url("task-list"), {"format": "csv", "page_size": 1000})

    add_tasks(10, department=department)
    small = count_queries(export)
    add_tasks(990, department=department)
    large = count_queries(export)

    assert export().content.decode("utf-8-sig").count("\r\n") == 1001
    assert small == large
