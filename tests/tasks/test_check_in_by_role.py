"""My tasks asks for the daily update (“nothing to report today”) only of people who update
tasks every day and have an open task: not of executives or viewers, who read."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tasks.models import TaskStatus
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

CHECK_IN = 'id="check-in"'


def my_tasks(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("tasks:my_tasks")).content.decode()


def open_task(responsible):
    return TaskFactory(responsible=responsible, due_date=timezone.localdate() + timedelta(days=3))


@pytest.mark.parametrize("role", [Role.STAFF, Role.DEPARTMENT_LEAD, Role.MARKETING_MANAGER])
def test_people_at_work_with_one_open_task_are_asked_for_their_check_in(client, make_user, role):
    person = make_user(role)
    open_task(person)

    assert CHECK_IN in my_tasks(client, person)


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.VIEWER])
def test_executives_and_viewers_are_not_asked_even_with_an_open_task(client, make_user, role):
    person = make_user(role)
    open_task(person)

    assert CHECK_IN not in my_tasks(client, person)


def test_staff_with_only_done_tasks_are_not_asked(client, staff_user):
    TaskFactory(responsible=staff_user, status=TaskStatus.DONE)

    assert CHECK_IN not in my_tasks(client, staff_user)
