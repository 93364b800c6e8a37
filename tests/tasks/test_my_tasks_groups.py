"""My tasks at any size: each group shows its first cards and its count, the rest of a group is
in pages, every task is in one group at most, and the page runs the same queries for 10 and
1,000 tasks."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tasks.models import Task, TaskStatus
from tasks.selectors import MY_TASK_GROUPS, MY_TASKS_PAGE, MY_TASKS_SHOWN, my_tasks
from tests.factories import StageFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def _many(user, n, *, today, days=30, status=TaskStatus.NOT_STARTED):
    stage = StageFactory()
    Task.objects.bulk_create(
        Task(
            campaign=stage.campaign,
            stage=stage,
            name=f"Later {i:04}",
            responsible=user,
            accountable=UserFactory(),
            due_date=today + timedelta(days=days),
            status=status,
        )
        for i in range(n)
    )


def test_each_group_shows_its_first_cards_its_count_and_a_way_to_the_rest(client, staff_user, today):
    _many(staff_user, 100, today=today)
    client.force_login(staff_user)

    response = client.get(reverse("tasks:my_tasks"))

    assert len(response.context["groups"]["later"]) == MY_TASKS_SHOWN
    assert response.context["counts"]["later"] == 100
    assert response.content.decode().count('class="card task-card') == MY_TASKS_SHOWN
    assert "?group=later" in response.content.decode()


def test_a_whole_group_comes_in_pages(client, staff_user, today):
    _many(staff_user, 120, today=today)
    client.force_login(staff_user)

    pages = [client.get(reverse("tasks:my_tasks"), {"group": "later", "page": n}) for n in (1, 2, 3)]

    shown = [[task.name for task in page.context["page_obj"].object_list] for page in pages]
    assert [len(names) for names in shown] == [MY_TASKS_PAGE, MY_TASKS_PAGE, 20]
    assert len({name for names in shown for name in names}) == 120  # every task once
    assert "Back to My tasks" in pages[0].content.decode()


@pytest.mark.parametrize("params", [{"group": "nonsense"}, {"group": "later", "page": "x"}, {"page": "99999"}])
def test_a_group_or_page_that_does_not_exist_shows_the_page_not_an_error(client, staff_user, today, params):
    _many(staff_user, 3, today=today)
    client.force_login(staff_user)

    assert client.get(reverse("tasks:my_tasks"), params).status_code == 200


def test_groups_at_their_boundaries(client, staff_user, today):
    def task(name, days, status=TaskStatus.NOT_STARTED):
        return TaskFactory(responsible=staff_user, name=name, due_date=today + timedelta(days=days), status=status)

    due_today = task("due today", 0)
    in_seven = task("in seven days", 7)
    in_eight = task("in eight days", 8)
    yesterday = task("yesterday", -1, TaskStatus.IN_PROGRESS)
    blocked_late = task("blocked and late", -1, TaskStatus.BLOCKED)
    blocked = task("blocked", 0, TaskStatus.BLOCKED)
    done = task("done", -3, TaskStatus.DONE)
    old = task("done long ago", -30, TaskStatus.DONE)
    Task.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=7, minutes=1))
    client.force_login(staff_user)

    groups = client.get(reverse("tasks:my_tasks")).context["groups"]
    shown = {name: [card.pk for card in cards] for name, cards in groups.items()}

    assert sorted(shown["overdue"]) == sorted([yesterday.pk, blocked_late.pk])
    assert shown["blocked"] == [blocked.pk]
    assert shown["this_week"] == [due_today.pk, in_seven.pk]
    assert shown["later"] == [in_eight.pk]
    assert shown["done"] == [done.pk]


@pytest.mark.parametrize("params", [{}, {"group": "later"}, {"group": "later", "page": "2"}])
def test_my_tasks_runs_the_same_queries_for_10_and_1000_tasks_in_every_view(
    client, make_user, count_queries, today, params
):
    small, large = make_user(Role.STAFF), make_user(Role.STAFF)
    _many(small, 60, today=today)
    _many(large, 1000, today=today)
    for user in (small, large):
        _many(user, 10, today=today, days=-2, status=TaskStatus.IN_PROGRESS)
        _many(user, 10, today=today, days=2, status=TaskStatus.BLOCKED)
    client.force_login(small)
    small_count = count_queries(lambda: client.get(reverse("tasks:my_tasks"), params))
    client.force_login(large)
    large_count = count_queries(lambda: client.get(reverse("tasks:my_tasks"), params))

    assert small_count == large_count


def test_the_dashboard_counts_every_task_of_a_group_not_only_those_my_tasks_shows(client, staff_user, today):
    _many(staff_user, MY_TASKS_SHOWN + 10, today=today, days=-2)
    _many(staff_user, 12, today=today, days=3, status=TaskStatus.BLOCKED)
    client.force_login(staff_user)

    summary = client.get(reverse("dashboard")).context["my_tasks"]

    assert summary["counts"]["overdue"] == MY_TASKS_SHOWN + 10
    assert summary["counts"]["blocked"] == 12
    assert len(summary["blocked"]) == 10


@pytest.mark.parametrize("later", [MY_TASKS_SHOWN, MY_TASKS_SHOWN + 1])
def test_the_groups_cards_and_counts_come_from_one_query(staff_user, today, later):
    _many(staff_user, later, today=today)
    _many(staff_user, 3, today=today, days=-2, status=TaskStatus.IN_PROGRESS)
    _many(staff_user, 2, today=today, days=2, status=TaskStatus.BLOCKED)
    _many(UserFactory(), 5, today=today)  # someone else's

    with CaptureQueriesContext(connection) as queries:
        data = my_tasks(user=staff_user, today=today)

    task_queries = [q["sql"] for q in queries.captured_queries if 'FROM "tasks_task"' in q["sql"]]
    assert len(task_queries) == 1
    assert data["counts"] == {"overdue": 3, "blocked": 2, "this_week": 0, "later": later, "done": 0}
    assert [len(data["groups"][name]) for name in MY_TASK_GROUPS] == [3, 2, 0, MY_TASKS_SHOWN, 0]
    names = [task.name for task in data["groups"]["later"]]
    assert names == sorted(names)  # due the same day: by id, the order they were made in


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("en", "Preparation", "筹备"), ("zh-hans", "筹备", "Preparation")]
)
def test_a_cards_stage_is_named_in_the_readers_language(client, staff_user, today, language, shown, hidden):
    stage = StageFactory(name_en="Preparation", name_zh="筹备")
    TaskFactory(responsible=staff_user, campaign=stage.campaign, stage=stage, due_date=today)
    staff_user.language = language
    staff_user.save(update_fields=["language"])
    client.force_login(staff_user)

    html = client.get(reverse("tasks:my_tasks")).content.decode()

    card = html[html.index('class="card task-card') :]
    assert shown in card
    assert hidden not in card
