"""The matrix page runs the same number of queries for 10 and 1,000 tasks, for a manager and
for a staff member, and filtered or not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from tasks.models import Assignment, Task, TaskStatus
from tests.factories import CampaignFactory, DepartmentFactory, StageFactory, UserFactory
from tests.tasks.matrix import matrix_url

pytestmark = pytest.mark.django_db


def _fill(campaign, count: int, people: list, departments: list) -> None:
    stages = [StageFactory(campaign=campaign, position=position) for position in range(4)]
    today = timezone.localdate()
    tasks = Task.objects.bulk_create(
        Task(
            campaign=campaign,
            stage=stages[n % 4],
            name=f"Task {n}",
            responsible=people[n % len(people)],
            accountable=people[(n + 1) % len(people)],
            due_date=today + timedelta(days=n % 30 - 10),
            status=TaskStatus.values[n % 4],
        )
        for n in range(count)
    )
    Assignment.objects.bulk_create(
        [Assignment(task=task, role="C", user=people[(n + 2) % len(people)]) for n, task in enumerate(tasks)]
        + [
            Assignment(task=task, role="I", department=departments[n % len(departments)])
            for n, task in enumerate(tasks)
        ]
    )
    Task.departments.through.objects.bulk_create(
        Task.departments.through(task_id=task.pk, department_id=departments[(n + 1) % len(departments)].pk)
        for n, task in enumerate(tasks)
    )


@pytest.mark.parametrize("role", [Role.MARKETING_MANAGER, Role.STAFF])
def test_the_matrix_runs_the_same_queries_for_10_and_1000_tasks(client, make_user, count_queries, role):
    viewer = make_user(role, department=DepartmentFactory(name="Marketing"))
    people = [UserFactory(username=f"p{n}") for n in range(5)] + [viewer]
    departments = [DepartmentFactory(name=f"Dept {n}") for n in range(3)]
    small, large = CampaignFactory(owner=viewer), CampaignFactory(owner=viewer)
    _fill(small, 10, people, departments)
    _fill(large, 1000, people, departments)
    client.force_login(viewer)
    client.get(matrix_url(small))

    queries_small = count_queries(lambda: client.get(matrix_url(small)))
    queries_large = count_queries(lambda: client.get(matrix_url(large)))

    assert queries_small == queries_large
    assert client.get(matrix_url(large)).context["total"] == 1000


def test_a_filtered_matrix_runs_the_same_queries_as_the_whole(client, manager, count_queries):
    people = [UserFactory(username=f"p{n}") for n in range(3)]
    departments = [DepartmentFactory(name=f"Dept {n}") for n in range(2)]
    campaign = CampaignFactory(owner=manager)
    _fill(campaign, 40, people, departments)
    client.force_login(manager)
    client.get(matrix_url(campaign))

    whole = count_queries(lambda: client.get(matrix_url(campaign)))
    filtered = count_queries(lambda: client.get(matrix_url(campaign, person=people[0].pk, status="done")))

    assert whole == filtered
