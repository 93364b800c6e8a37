"""Status updates through the API: only a task's Responsible and Accountable record them (not a
BI token); blocked and done need a note; each moves the task, shows in its history, and the
last done task of a milestone reaches it."""

import pytest

from accounts.models import Role
from tasks.models import AssignmentRole, StatusUpdate, Task, TaskStatus
from tasks.services import assignment_set
from tests.api import results, url
from tests.factories import DepartmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["responsible", "accountable"])
def test_the_responsible_and_the_accountable_record_a_status_update(client_as, task, who):
    client = client_as(getattr(task, who))

    response = client.post(
        url("status-update-list"), {"task": task.pk, "status": "in_progress", "progress": 40, "note": "Briefed"}
    )

    assert response.status_code == 201, response.json()
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 40)
    update = task.updates.get()
    assert (update.author, update.old_status, update.new_status, update.note) == (
        client.user,
        TaskStatus.NOT_STARTED,
        TaskStatus.IN_PROGRESS,
        "Briefed",
    )
    assert response.json()["id"] == update.pk


def test_a_status_update_moves_the_task_and_shows_in_its_history(client_as, task):
    client = client_as(task.responsible)

    client.post(url("status-update-list"), {"task": task.pk, "status": "in_progress", "progress": 30, "note": "Day 1"})
    client.post(url("status-update-list"), {"task": task.pk, "status": "blocked", "note": "Samples late"})
    client.post(url("status-update-list"), {"task": task.pk, "status": "done", "note": "3 videos, 52k views"})

    row = client.get(url("task-detail", task.pk)).json()
    assert (row["status"], row["progress"], row["last_note"]) == ("done", 100, "3 videos, 52k views")
    history = results(client.get(url("status-update-list"), {"task": task.pk}))
    assert [(h["old_status"], h["new_status"], h["progress"]) for h in history] == [
        ("blocked", "done", 100),
        ("in_progress", "blocked", 30),
        ("not_started", "in_progress", 30),
    ]
    assert history[0]["author_name"] == task.responsible.display_name


@pytest.mark.parametrize("who", [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER])
def test_who_is_neither_responsible_nor_accountable_cannot_change_the_status(client_as, make_user, task, who):
    # Each of them sees the task: the staff member and the department lead through a C/I role.
    person = make_user(who, department=DepartmentFactory(name="产品部"))
    if who in (Role.STAFF, Role.DEPARTMENT_LEAD):
        assignment_set(task=task, role=AssignmentRole.CONSULTED, user=person)
    client = client_as(person)
    assert client.get(url("task-detail", task.pk)).status_code == 200

    response = client.post(url("status-update-list"), {"task": task.pk, "status": "done", "note": "Done"})

    assert response.status_code == 403
    assert StatusUpdate.objects.count() == 0
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_the_campaign_owner_who_is_neither_r_nor_a_cannot_change_the_status(client_as, campaign, task):
    client = client_as(campaign.owner)

    response = client.post(url("status-update-list"), {"task": task.pk, "status": "in_progress", "note": "Go"})

    assert response.status_code == 403
    assert StatusUpdate.objects.count() == 0


def test_a_bi_token_cannot_change_the_status_even_of_its_owners_task(client_as, task):
    client = client_as("token")
    Task.objects.filter(pk=task.pk).update(responsible=client.user)

    response = client.post(url("status-update-list"), {"task": task.pk, "status": "in_progress", "note": "Go"})

    assert response.status_code == 403
    assert StatusUpdate.objects.count() == 0


def test_a_staff_member_who_cannot_see_the_task_is_told_it_does_not_exist(client_as, task):
    client = client_as(Role.STAFF)

    response = client.post(url("status-update-list"), {"task": task.pk, "status": "in_progress", "note": "Go"})

    assert response.status_code == 400
    assert "task" in response.json()
    assert StatusUpdate.objects.count() == 0


def test_a_blocked_status_without_a_note_is_refused_naming_the_note(client_as, task):
    client = client_as(task.responsible)

    response = client.post(url("status-update-list"), {"task": task.pk, "status": "blocked", "note": "  "})

    assert response.status_code == 400
    assert list(response.json()) == ["note"]
    assert StatusUpdate.objects.count() == 0
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_a_done_status_without_a_note_is_refused_naming_the_note(client_as, task):
    client = client_as(task.accountable)

    response = client.post(url("status-update-list"), {"task": task.pk, "status": "done"})

    assert response.status_code == 400
    assert list(response.json()) == ["note"]
    assert StatusUpdate.objects.count() == 0


@pytest.mark.parametrize(("field", "value"), [("progress", 120), ("status", "paused")])
def test_a_status_update_with_a_bad_value_is_refused_naming_the_field(client_as, task, field, value):
    client = client_as(task.responsible)
    payload = {"task": task.pk, "status": "in_progress", "note": "Half way", field: value}

    response = client.post(url("status-update-list"), payload)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert StatusUpdate.objects.count() == 0


def test_the_last_done_task_reaches_its_milestone(client_as, stage, task, today):
    milestone = MilestoneFactory(stage=stage)
    Task.objects.filter(pk=task.pk).update(milestone=milestone)
    client = client_as(task.responsible)

    client.post(url("status-update-list"), {"task": task.pk, "status": "done", "note": "Published"})

    row = client.get(url("milestone-detail", milestone.pk)).json()
    assert (row["reached_on"], row["is_missed"]) == (today.isoformat(), False)
