"""Who reads which tasks through the API: marketing managers, executives, viewers and BI tokens
see every task and its history; staff see the tasks they are R, A, C or I on, department
leads those of their department; everyone reads every campaign's stages and milestones."""

import pytest

from accounts.models import Role
from tasks.models import AssignmentRole, TaskStatus
from tasks.services import assignment_set, task_set_status
from tests.api import ids, results, url
from tests.factories import ROLES, DepartmentFactory, MilestoneFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

SEE_EVERY_TASK = [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.VIEWER, "token"]


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
