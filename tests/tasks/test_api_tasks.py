"""The tasks API: a task reads with its RACI, departments, stage, milestone and whether it is
overdue, as JSON or CSV; the campaign's owner and marketing managers create and change
tasks (never their status: that is a status update)."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Role
from tasks.models import AssignmentRole, StatusUpdate, Task, TaskStatus
from tasks.services import assignment_set
from tests.api import NOT_MANAGERS, url
from tests.factories import DepartmentFactory, MilestoneFactory, TaskFactory, UserFactory, task_counts

pytestmark = pytest.mark.django_db


# Reading ----------------------------------------------------------------------------------


def test_a_task_shows_its_raci_departments_stage_milestone_and_whether_it_is_overdue(client_as, stage, today):
    design = DepartmentFactory(name="设计部")
    milestone = MilestoneFactory(stage=stage, name="Page live")
    responsible = UserFactory(name="Li Wei")
    accountable = UserFactory(name="Zhang Min")
    task = TaskFactory(
        stage=stage,
        milestone=milestone,
        responsible=responsible,
        accountable=accountable,
        due_date=today - timedelta(days=1),
    )
    task.departments.add(design)
    assignment_set(task=task, role=AssignmentRole.CONSULTED, user=UserFactory(name="Wang Fang"))
    assignment_set(task=task, role=AssignmentRole.INFORMED, department=DepartmentFactory(name="市场部"))

    row = client_as(Role.VIEWER).get(url("task-detail", task.pk)).json()

    assert (row["responsible"], row["responsible_name"]) == (responsible.pk, "Li Wei")
    assert (row["accountable"], row["accountable_name"]) == (accountable.pk, "Zhang Min")
    assert (row["departments"], row["department_names"]) == ([design.pk], ["设计部"])
    assert (row["consulted"], row["informed"]) == (["Wang Fang"], ["市场部"])
    assert sorted(a["role"] for a in row["assignments"]) == ["C", "I"]
    assert (row["stage"], row["stage_name"]) == (stage.pk, "Warm-up")
    assert (row["milestone"], row["milestone_name"]) == (milestone.pk, "Page live")
    assert (row["campaign"], row["is_overdue"]) == (stage.campaign_id, True)


def test_a_done_task_past_its_deadline_is_not_overdue(client_as, task, today):
    Task.objects.filter(pk=task.pk).update(due_date=today - timedelta(days=3), status=TaskStatus.DONE)

    row = client_as(Role.VIEWER).get(url("task-detail", task.pk)).json()

    assert row["is_overdue"] is False


def test_the_tasks_list_answers_csv_with_names_for_people_and_departments(client_as, task):
    task.departments.add(DepartmentFactory(name="产品部"))
    assignment_set(task=task, role=AssignmentRole.CONSULTED, user=UserFactory(name="Wang Fang"))
    TaskFactory()

    response = client_as("token").get(url("task-list"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    row = next(row for row in rows if row["id"] == str(task.pk))
    assert (row["name"], row["department_names"], row["consulted"]) == ("KOL video", "产品部", "Wang Fang")
    assert row["responsible_name"] == task.responsible.display_name
    assert row["is_overdue"] == "False"


# Creating and changing tasks --------------------------------------------------------------


def task_payload(stage, responsible, accountable, **fields):
    return {
        "stage": stage.pk,
        "name": "Product page online",
        "responsible": responsible.pk,
        "accountable": accountable.pk,
        "due_date": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "deliverable": "The page passes review and can be visited",
        **fields,
    }


def test_a_marketing_manager_creates_a_task_with_its_raci_and_its_first_update(client_as, stage):
    client = client_as(Role.MARKETING_MANAGER)
    responsible, accountable = UserFactory(roles=[Role.STAFF]), UserFactory(roles=[Role.STAFF])
    design = DepartmentFactory(name="设计部")

    response = client.post(url("task-list"), task_payload(stage, responsible, accountable, departments=[design.pk]))

    assert response.status_code == 201, response.json()
    task = Task.objects.get()
    assert (task.campaign, task.responsible, task.accountable) == (stage.campaign, responsible, accountable)
    assert list(task.departments.all()) == [design]
    assert task.status == TaskStatus.NOT_STARTED
    assert task.history.first().history_user == client.user
    assert task.updates.get().author == client.user
    assert response.json()["responsible_name"] == responsible.display_name


def test_the_campaign_owner_creates_tasks_in_their_campaign(client_as, campaign, stage):
    campaign.owner.groups.set(Group.objects.filter(name=Role.STAFF))
    client = client_as(campaign.owner)

    response = client.post(url("task-list"), task_payload(stage, UserFactory(roles=[Role.STAFF]), campaign.owner))

    assert response.status_code == 201, response.json()
    assert Task.objects.get().accountable == campaign.owner


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_the_campaign_owner_and_marketing_managers_create_tasks(client_as, who, stage):
    client = client_as(who)
    before = task_counts()

    response = client.post(url("task-list"), task_payload(stage, client.user, client.user))

    assert response.status_code == 403
    assert task_counts() == before


def test_a_staff_member_responsible_for_another_task_of_the_campaign_cannot_create_tasks(client_as, task, stage):
    task.responsible.groups.set(Group.objects.filter(name=Role.STAFF))
    client = client_as(task.responsible)
    before = task_counts()

    response = client.post(url("task-list"), task_payload(stage, task.responsible, task.accountable))

    assert response.status_code == 403
    assert task_counts() == before


@pytest.mark.parametrize("missing", ["responsible", "accountable"])
def test_a_task_without_a_responsible_or_an_accountable_is_refused_naming_the_field(client_as, stage, missing):
    client = client_as(Role.MARKETING_MANAGER)
    payload = task_payload(stage, UserFactory(), UserFactory())
    del payload[missing]

    response = client.post(url("task-list"), payload)

    assert response.status_code == 400
    assert list(response.json()) == [missing]
    assert Task.objects.count() == 0


def test_an_inactive_responsible_is_refused_naming_the_field(client_as, stage):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("task-list"), task_payload(stage, UserFactory(is_active=False), UserFactory()))

    assert response.status_code == 400
    assert "responsible" in response.json()
    assert Task.objects.count() == 0


def test_a_milestone_of_another_campaign_is_refused_naming_the_milestone(client_as, stage):
    client = client_as(Role.MARKETING_MANAGER)
    elsewhere = MilestoneFactory()

    response = client.post(url("task-list"), task_payload(stage, UserFactory(), UserFactory(), milestone=elsewhere.pk))

    assert response.status_code == 400
    assert "milestone" in response.json()
    assert (Task.objects.count(), StatusUpdate.objects.count()) == (0, 0)


def test_a_manager_changes_a_task_and_its_collaborating_departments(client_as, task):
    client = client_as(Role.MARKETING_MANAGER)
    sales = DepartmentFactory(name="销售部")

    response = client.patch(url("task-detail", task.pk), {"name": "Three KOL videos", "departments": [sales.pk]})

    assert response.status_code == 200, response.json()
    task.refresh_from_db()
    assert task.name == "Three KOL videos"
    assert list(task.departments.all()) == [sales]
    assert task.history.first().history_user == client.user


def test_a_task_update_does_not_change_its_status(client_as, task):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.patch(url("task-detail", task.pk), {"status": TaskStatus.DONE, "progress": 100})

    assert response.status_code == 400
    assert set(response.json()) == {"status", "progress"}
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.NOT_STARTED, 0)


@pytest.mark.parametrize("who", ["responsible", "accountable"])
def test_the_responsible_and_the_accountable_do_not_edit_the_task_itself(client_as, task, who):
    person = getattr(task, who)
    person.groups.set(Group.objects.filter(name=Role.STAFF))
    client = client_as(person)

    response = client.patch(url("task-detail", task.pk), {"name": "Renamed"})

    assert response.status_code == 403
    task.refresh_from_db()
    assert task.name == "KOL video"
