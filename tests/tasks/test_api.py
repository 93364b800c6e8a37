import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.checks import schema_check
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from accounts.models import Role, User
from tasks.models import Assignment, AssignmentRole, Milestone, Stage, StatusUpdate, Task, TaskStatus
from tasks.services import assignment_set, task_set_status
from tests.factories import (
    CampaignFactory,
    DepartmentFactory,
    MilestoneFactory,
    StageFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]
# Those who see every task; staff and department leads see the tasks they are involved in.
SEE_EVERY_TASK = [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.VIEWER, "token"]
# Everyone who may not create or change tasks of a campaign they do not own.
NOT_MANAGERS = [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER, "token"]
LISTS = ["stage-list", "milestone-list", "task-list", "assignment-list", "status-update-list"]


@pytest.fixture
def client_as(request, make_user):
    """client_as(who): an API client signed in as a new person in that role, as an
    administrator ("admin"), as a given User, or with a read-only BI token ("token")."""

    def build(who, **fields):
        if who == "token":
            client = request.getfixturevalue("token_client")
            client.user = request.getfixturevalue("api_token")[0].user
            return client
        if isinstance(who, User):
            user = who
        elif who == "admin":
            user = make_user(None, is_staff=True, is_superuser=True, **fields)
        else:
            user = make_user(who, **fields)
        client = APIClient()
        client.force_authenticate(user)
        client.user = user
        return client

    return build


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def campaign():
    return CampaignFactory(owner=UserFactory(username="owner"))


@pytest.fixture
def stage(campaign):
    return StageFactory(campaign=campaign, name_en="Warm-up", name_zh="预热宣传", position=1)


@pytest.fixture
def task(stage, today):
    return TaskFactory(
        stage=stage,
        name="KOL video",
        responsible=UserFactory(username="responsible"),
        accountable=UserFactory(username="accountable"),
        due_date=today + timedelta(days=10),
    )


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def results(response):
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def ids(response):
    return sorted(row["id"] for row in results(response))


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


def counts():
    return (Task.objects.count(), StatusUpdate.objects.count(), Assignment.objects.count(), Stage.objects.count())


# Reading: who sees what -------------------------------------------------------------------


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


@pytest.mark.parametrize("who", SEE_EVERY_TASK)
def test_managers_executives_viewers_and_bi_tokens_see_every_task_and_its_history(client_as, who, task):
    other = TaskFactory()
    task_set_status(task=task, status=TaskStatus.IN_PROGRESS, by=task.responsible, note="Briefed")
    assignment_set(task=other, role=AssignmentRole.INFORMED, user=UserFactory())
    client = client_as(who)

    assert ids(client.get(url("task-list"))) == sorted([task.pk, other.pk])
    assert [row["task"] for row in results(client.get(url("status-update-list")))] == [task.pk]
    assert [row["task"] for row in results(client.get(url("assignment-list")))] == [other.pk]
    assert client.get(url("task-detail", other.pk)).status_code == 200


@pytest.mark.parametrize("who", ["responsible", "accountable"])
def test_staff_see_the_tasks_where_they_are_responsible_or_accountable(client_as, make_user, stage, who):
    person = make_user(Role.STAFF)
    mine = TaskFactory(stage=stage, **{who: person})
    TaskFactory(stage=stage)
    client = client_as(person)

    assert ids(client.get(url("task-list"))) == [mine.pk]


def test_a_staff_member_not_involved_does_not_see_the_task(client_as, task):
    task_set_status(task=task, status=TaskStatus.IN_PROGRESS, by=task.responsible, note="Briefed")
    assignment_set(task=task, role=AssignmentRole.CONSULTED, user=UserFactory())
    client = client_as(Role.STAFF, department=DepartmentFactory(name="市场部"))

    assert results(client.get(url("task-list"))) == []
    assert results(client.get(url("status-update-list"))) == []
    assert results(client.get(url("assignment-list"))) == []
    assert client.get(url("task-detail", task.pk)).status_code == 404


@pytest.mark.parametrize("role", [AssignmentRole.CONSULTED, AssignmentRole.INFORMED])
def test_consulted_and_informed_people_see_the_task(client_as, make_user, task, role):
    person = make_user(Role.STAFF)
    assignment_set(task=task, role=role, user=person)
    TaskFactory()

    response = client_as(person).get(url("task-list"))

    assert ids(response) == [task.pk]


def test_a_department_lead_sees_the_tasks_of_their_department(client_as, make_user, stage):
    design = DepartmentFactory(name="设计部")
    lead = make_user(Role.DEPARTMENT_LEAD, department=design)
    collaborating = TaskFactory(stage=stage)
    collaborating.departments.add(design)
    done_by_a_designer = TaskFactory(stage=stage, responsible=UserFactory(department=design))
    approved_by_a_designer = TaskFactory(stage=stage, accountable=UserFactory(department=design))
    informed = TaskFactory(stage=stage)
    assignment_set(task=informed, role=AssignmentRole.INFORMED, department=design)
    TaskFactory(stage=stage, responsible=UserFactory(department=DepartmentFactory(name="销售部")))

    response = client_as(lead).get(url("task-list"))

    assert ids(response) == sorted([collaborating.pk, done_by_a_designer.pk, approved_by_a_designer.pk, informed.pk])


@pytest.mark.parametrize("who", [*ROLES, "token"])
def test_everyone_signed_in_reads_the_stages_and_milestones_of_every_campaign(client_as, who, stage):
    milestone = MilestoneFactory(stage=stage)
    client = client_as(who)

    assert ids(client.get(url("stage-list"))) == [stage.pk]
    assert ids(client.get(url("milestone-list"))) == [milestone.pk]


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
    before = counts()

    response = client.post(url("task-list"), task_payload(stage, client.user, client.user))

    assert response.status_code == 403
    assert counts() == before


def test_a_staff_member_responsible_for_another_task_of_the_campaign_cannot_create_tasks(client_as, task, stage):
    task.responsible.groups.set(Group.objects.filter(name=Role.STAFF))
    client = client_as(task.responsible)
    before = counts()

    response = client.post(url("task-list"), task_payload(stage, task.responsible, task.accountable))

    assert response.status_code == 403
    assert counts() == before


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


# Status updates ---------------------------------------------------------------------------


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


# RACI assignments -------------------------------------------------------------------------


def test_a_manager_makes_a_person_consulted_and_a_department_informed(client_as, task):
    client = client_as(Role.MARKETING_MANAGER)
    expert = UserFactory(name="Wang Fang")
    marketing = DepartmentFactory(name="市场部")

    consulted = client.post(url("assignment-list"), {"task": task.pk, "role": "C", "user": expert.pk})
    informed = client.post(url("assignment-list"), {"task": task.pk, "role": "I", "department": marketing.pk})

    assert (consulted.status_code, informed.status_code) == (201, 201), (consulted.json(), informed.json())
    row = client.get(url("task-detail", task.pk)).json()
    assert (row["consulted"], row["informed"]) == (["Wang Fang"], ["市场部"])
    assert Assignment.objects.get(user=expert).history.first().history_user == client.user


def test_a_manager_changes_a_role_and_removes_an_assignment(client_as, task):
    client = client_as(Role.MARKETING_MANAGER)
    assignment = assignment_set(task=task, role=AssignmentRole.CONSULTED, user=UserFactory())

    changed = client.patch(url("assignment-detail", assignment.pk), {"role": "I"})
    assignment.refresh_from_db()
    removed = client.delete(url("assignment-detail", assignment.pk))

    assert (changed.status_code, assignment.role, removed.status_code) == (200, "I", 204)
    assert Assignment.objects.count() == 0


@pytest.mark.parametrize("who", [*NOT_MANAGERS, "responsible", "accountable"])
def test_only_the_campaign_owner_and_managers_assign_consulted_and_informed(client_as, task, who):
    # Everyone here sees the task: staff and department leads through a collaborating department.
    design = DepartmentFactory(name="设计部")
    task.departments.add(design)
    if who in ("responsible", "accountable"):
        client = client_as(getattr(task, who))
    else:
        client = client_as(who) if who == "token" else client_as(who, department=design)
    existing = assignment_set(task=task, role=AssignmentRole.CONSULTED, user=UserFactory())

    created = client.post(url("assignment-list"), {"task": task.pk, "role": "I", "user": UserFactory().pk})
    changed = client.patch(url("assignment-detail", existing.pk), {"role": "I"})
    removed = client.delete(url("assignment-detail", existing.pk))

    assert (created.status_code, changed.status_code, removed.status_code) == (403, 403, 403)
    assert list(Assignment.objects.values_list("pk", "role")) == [(existing.pk, "C")]


def test_the_responsible_cannot_also_be_consulted(client_as, task):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("assignment-list"), {"task": task.pk, "role": "C", "user": task.responsible.pk})

    assert response.status_code == 400
    assert "user" in response.json()
    assert Assignment.objects.count() == 0


def test_an_assignment_needs_a_person_or_a_department(client_as, task):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("assignment-list"), {"task": task.pk, "role": "C"})

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert Assignment.objects.count() == 0


# Stages and milestones --------------------------------------------------------------------


def test_a_manager_adds_a_stage_after_the_last_one(client_as, campaign, stage):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("stage-list"), {"campaign": campaign.pk, "name_en": "Follow-up"})

    assert response.status_code == 201, response.json()
    added = Stage.objects.get(pk=response.json()["id"])
    assert (added.name_en, added.name_zh, added.position) == ("Follow-up", "Follow-up", stage.position + 1)


def test_a_campaign_without_stages_gets_the_four_template_stages(client_as, campaign):
    client = client_as(campaign.owner)

    response = client.post(url("stage-defaults"), {"campaign": campaign.pk})
    again = client.post(url("stage-defaults"), {"campaign": campaign.pk})

    assert response.status_code == 200, response.json()
    assert [row["name_zh"] for row in response.json()] == ["产品筹备", "预热宣传", "正式推广", "售后复盘"]
    assert again.json() == response.json()
    assert campaign.stages.count() == 4


def test_a_stage_with_tasks_is_not_deleted(client_as, task, stage):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.delete(url("stage-detail", stage.pk))

    assert response.status_code == 400
    assert Stage.objects.filter(pk=stage.pk).exists()


def test_a_manager_adds_a_milestone_to_the_stages_campaign(client_as, campaign, stage, today):
    client = client_as(Role.MARKETING_MANAGER)
    due = today + timedelta(days=5)

    response = client.post(
        url("milestone-list"), {"stage": stage.pk, "name": "KOL videos live", "due_date": due.isoformat()}
    )

    assert response.status_code == 201, response.json()
    milestone = Milestone.objects.get()
    assert (milestone.campaign, milestone.stage, milestone.due_date) == (campaign, stage, due)
    assert response.json()["is_missed"] is False


def test_a_milestone_cannot_move_to_a_stage_of_another_campaign(client_as, stage):
    milestone = MilestoneFactory(stage=stage)
    client = client_as(Role.MARKETING_MANAGER)

    response = client.patch(url("milestone-detail", milestone.pk), {"stage": StageFactory().pk})

    assert response.status_code == 400
    assert "stage" in response.json()
    milestone.refresh_from_db()
    assert milestone.stage == stage


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_the_campaign_owner_and_managers_change_stages_and_milestones(client_as, campaign, stage, who):
    milestone = MilestoneFactory(stage=stage, name="Page live")
    client = client_as(who)
    before = (counts(), Milestone.objects.count())

    responses = [
        client.post(url("stage-list"), {"campaign": campaign.pk, "name_en": "Extra"}),
        client.patch(url("stage-detail", stage.pk), {"name_en": "Renamed"}),
        client.delete(url("stage-detail", stage.pk)),
        client.post(url("stage-defaults"), {"campaign": CampaignFactory().pk}),
        client.post(url("milestone-list"), {"stage": stage.pk, "name": "Extra", "due_date": "2026-12-01"}),
        client.patch(url("milestone-detail", milestone.pk), {"name": "Renamed"}),
    ]

    assert [response.status_code for response in responses] == [403] * 6
    assert (counts(), Milestone.objects.count()) == before
    stage.refresh_from_db()
    milestone.refresh_from_db()
    assert (stage.name_en, milestone.name) == ("Warm-up", "Page live")


# Filters ----------------------------------------------------------------------------------


@pytest.fixture
def viewer(client_as):
    return client_as(Role.VIEWER)


def test_tasks_filter_by_status(viewer, stage):
    blocked = TaskFactory(stage=stage, status=TaskStatus.BLOCKED)
    TaskFactory(stage=stage)

    assert ids(viewer.get(url("task-list"), {"status": "blocked"})) == [blocked.pk]


def test_tasks_filter_by_overdue(viewer, stage, today):
    overdue = TaskFactory(stage=stage, due_date=today - timedelta(days=1))
    done_late = TaskFactory(stage=stage, due_date=today - timedelta(days=1), status=TaskStatus.DONE)
    due_today = TaskFactory(stage=stage, due_date=today)

    assert ids(viewer.get(url("task-list"), {"overdue": "true"})) == [overdue.pk]
    assert ids(viewer.get(url("task-list"), {"overdue": "false"})) == sorted([done_late.pk, due_today.pk])


def test_tasks_filter_by_responsible_and_accountable(viewer, stage):
    person = UserFactory()
    doing = TaskFactory(stage=stage, responsible=person)
    approving = TaskFactory(stage=stage, accountable=person)

    assert ids(viewer.get(url("task-list"), {"responsible": person.pk})) == [doing.pk]
    assert ids(viewer.get(url("task-list"), {"accountable": person.pk})) == [approving.pk]


def test_tasks_filter_by_department_collaborating_or_of_the_responsible_or_accountable(viewer, stage):
    design = DepartmentFactory(name="设计部")
    collaborating = TaskFactory(stage=stage)
    collaborating.departments.add(design, DepartmentFactory(name="产品部"))
    by_a_designer = TaskFactory(stage=stage, responsible=UserFactory(department=design))
    approved_by_a_designer = TaskFactory(stage=stage, accountable=UserFactory(department=design))
    only_informed = TaskFactory(stage=stage)
    assignment_set(task=only_informed, role=AssignmentRole.INFORMED, department=design)
    TaskFactory(stage=stage)

    response = viewer.get(url("task-list"), {"department": design.pk})

    assert ids(response) == sorted([collaborating.pk, by_a_designer.pk, approved_by_a_designer.pk])


def test_tasks_filter_by_due_dates_both_ends_included(viewer, stage, today):
    early, middle, late = (TaskFactory(stage=stage, due_date=today + timedelta(days=n)) for n in (1, 5, 9))

    after = viewer.get(url("task-list"), {"due_after": (today + timedelta(days=5)).isoformat()})
    before = viewer.get(url("task-list"), {"due_before": (today + timedelta(days=5)).isoformat()})

    assert ids(after) == sorted([middle.pk, late.pk])
    assert ids(before) == sorted([early.pk, middle.pk])


def test_tasks_filter_by_updated_after_for_incremental_syncs(viewer, stage):
    old, recent = TaskFactory(stage=stage), TaskFactory(stage=stage)
    cutoff = timezone.now() - timedelta(hours=1)
    Task.objects.filter(pk=old.pk).update(updated_at=cutoff - timedelta(days=1))

    response = viewer.get(url("task-list"), {"updated_after": cutoff.isoformat()})

    assert ids(response) == [recent.pk]


def test_a_status_update_marks_the_task_as_updated_for_incremental_syncs(client_as, viewer, task):
    cutoff = timezone.now()
    Task.objects.filter(pk=task.pk).update(updated_at=cutoff - timedelta(days=1))
    client_as(task.responsible).post(url("status-update-list"), {"task": task.pk, "status": "in_progress"})

    assert ids(viewer.get(url("task-list"), {"updated_after": cutoff.isoformat()})) == [task.pk]
    assert len(results(viewer.get(url("status-update-list"), {"updated_after": cutoff.isoformat()}))) == 1


def test_tasks_filter_by_campaign_and_stage(viewer, task):
    TaskFactory()

    assert ids(viewer.get(url("task-list"), {"campaign": task.campaign_id})) == [task.pk]
    assert ids(viewer.get(url("task-list"), {"stage": task.stage_id})) == [task.pk]


def test_an_unknown_filter_value_is_refused_naming_the_filter(viewer):
    response = viewer.get(url("task-list"), {"responsible": 999999, "due_before": "tomorrow"})

    assert response.status_code == 400
    assert set(response.json()) == {"responsible", "due_before"}


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
        return token_client.get(url("task-list"), {"format": "csv"})

    add_tasks(10, department=department)
    small = count_queries(export)
    add_tasks(990, department=department)
    large = count_queries(export)

    assert export().content.decode("utf-8-sig").count("\r\n") == 1001
    assert small == large


# Schema -----------------------------------------------------------------------------------


def test_the_api_schema_generates_without_warnings():
    GENERATOR_STATS.reset()

    assert schema_check(None) == []
