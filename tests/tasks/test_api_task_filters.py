"""The tasks API's filters: status, overdue, people, department, due dates, campaign and stage,
and updated_after for a BI tool's incremental syncs; an unknown value is refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from tasks.models import AssignmentRole, Task, TaskStatus
from tasks.services import assignment_set
from tests.api import ids, results, url
from tests.factories import DepartmentFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


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
