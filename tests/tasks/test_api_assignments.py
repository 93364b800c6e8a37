"""RACI assignments through the API: the campaign's owner and marketing managers make a person
or a department Consulted or Informed, change the role and remove it; the Responsible
cannot also be Consulted."""

import pytest

from accounts.models import Role
from tasks.models import Assignment, AssignmentRole
from tasks.services import assignment_set
from tests.api import NOT_MANAGERS, url
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


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
