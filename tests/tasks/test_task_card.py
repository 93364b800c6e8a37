"""What a task's card and page show for its status and its Consulted and Informed."""

import pytest
from django.urls import reverse

from tasks.models import Assignment, AssignmentRole, TaskStatus
from tests.factories import DepartmentFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "saves_progress_on_change"),
    [
        (TaskStatus.NOT_STARTED, True),
        (TaskStatus.IN_PROGRESS, True),
        (TaskStatus.BLOCKED, True),
        (TaskStatus.DONE, False),
    ],
)
def test_the_progress_slider_saves_on_its_own_unless_done(client, staff_user, status, saves_progress_on_change):
    TaskFactory(responsible=staff_user, status=status)
    client.force_login(staff_user)

    html = client.get(reverse("tasks:my_tasks")).content.decode()

    assert ('hx-trigger="change"' in html) is saves_progress_on_change


def test_the_task_page_lists_the_consulted_and_the_informed_apart(client, manager):
    task = TaskFactory(accountable=manager)
    Assignment.objects.create(task=task, role=AssignmentRole.CONSULTED, user=UserFactory(name="顾问甲"))
    Assignment.objects.create(task=task, role=AssignmentRole.INFORMED, department=DepartmentFactory(name="销售部"))
    client.force_login(manager)

    response = client.get(task.get_absolute_url())

    consulted = [a.user.name for a in response.context["consulted"]]
    informed = [a.department.name for a in response.context["informed"]]
    assert (consulted, informed) == (["顾问甲"], ["销售部"])
