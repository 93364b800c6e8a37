"""Beyond a page of tasks the RACI matrix shows them a page at a time, in stage order: every
task on exactly one page, the stage headers counting all their tasks, the columns only the
people and departments of the page, and the filters narrowing in the database exactly as they
narrow a row."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tasks import selectors
from tasks.models import Assignment, Task, TaskStatus
from tests.factories import CampaignFactory, DepartmentFactory, StageFactory, UserFactory
from tests.tasks.matrix import Matrix, matrix_url

pytestmark = pytest.mark.django_db

PAGE = 5


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(selectors, "RACI_PAGE_SIZE", PAGE)


def _campaign_of(count: int, owner, people=None, departments=None):
    campaign = CampaignFactory(owner=owner)
    stages = [StageFactory(campaign=campaign, position=position) for position in range(3)]
    people = people or [UserFactory(username=f"person{campaign.pk}-{n}") for n in range(4)]
    departments = departments or [DepartmentFactory(name=f"Dept {campaign.pk}-{n}") for n in range(3)]
    today = timezone.localdate()
    tasks = Task.objects.bulk_create(
        Task(
            campaign=campaign,
            # stages out of creation order, so the page order is the stage order, not the ids'
            stage=stages[(n * 2) % 3],
            name=f"Task {n}",
            responsible=people[n % len(people)],
            accountable=people[(n + 1) % len(people)],
            due_date=today + timedelta(days=n % 7 - 3),
            status=TaskStatus.values[n % len(TaskStatus.values)],
        )
        for n in range(count)
    )
    Assignment.objects.bulk_create(
        [Assignment(task=task, role="C", user=people[(n + 2) % len(people)]) for n, task in enumerate(tasks) if n % 3]
        + [
            Assignment(task=task, role="I", department=departments[n % len(departments)])
            for n, task in enumerate(tasks)
            if n % 2
        ]
    )
    Task.departments.through.objects.bulk_create(
        Task.departments.through(task_id=task.pk, department_id=departments[(n + 1) % len(departments)].pk)
        for n, task in enumerate(tasks)
        if n % 4 == 0
    )
    return campaign, people, departments


def _pages(client, campaign, **query) -> list[Matrix]:
    first = client.get(matrix_url(campaign, **query))
    pages = [Matrix(first.content.decode())]
    for number in range(2, first.context["page"].count + 1):
        pages.append(Matrix(client.get(matrix_url(campaign, **query, page=number)).content.decode()))
    return pages


def _expected_order(campaign) -> list[int]:
    return list(Task.objects.filter(campaign=campaign).order_by(*selectors.RACI_ORDER).values_list("pk", flat=True))


@pytest.mark.parametrize(("count", "pages"), [(PAGE, 1), (PAGE + 1, 2), (3 * PAGE, 3), (3 * PAGE + 1, 4)])
def test_every_task_is_on_exactly_one_page_in_stage_order(client, manager, count, pages):
    campaign, _, _ = _campaign_of(count, manager)
    client.force_login(manager)

    seen = _pages(client, campaign)

    assert len(seen) == pages
    assert [task for matrix in seen for task in matrix.order] == _expected_order(campaign)
    assert all(len(matrix.order) == PAGE for matrix in seen[:-1])


def test_one_page_has_no_page_links_and_two_pages_link_each_other(client, manager):
    one, _, _ = _campaign_of(PAGE, manager)
    two, _, _ = _campaign_of(PAGE + 1, manager)
    client.force_login(manager)

    assert 'id="raci-pages"' not in client.get(matrix_url(one)).content.decode()
    first = client.get(matrix_url(two)).content.decode()
    last = client.get(matrix_url(two, page=2)).content.decode()

    assert f"Tasks 1–{PAGE} of {PAGE + 1}, in stage order" in first
    assert 'rel="next" href="?page=2"' in first
    assert 'rel="prev"' not in first
    assert f"Tasks {PAGE + 1}–{PAGE + 1} of {PAGE + 1}" in last
    assert 'rel="prev" href="?page=1"' in last
    assert 'rel="next"' not in last


def test_the_page_links_keep_the_filters(client, manager):
    campaign, people, _ = _campaign_of(40, manager)
    client.force_login(manager)

    html = client.get(matrix_url(campaign, person=people[0].pk)).content.decode()

    assert f'href="?person={people[0].pk}&amp;page=2"' in html


@pytest.mark.parametrize("page", ["abc", "0", "-1", "٣", "2.5", "", "99999999999999999999999"])
def test_an_unreadable_page_shows_the_first(client, manager, page):
    campaign, _, _ = _campaign_of(3 * PAGE, manager)
    client.force_login(manager)

    response = client.get(matrix_url(campaign, page=page))

    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert Matrix(response.content.decode()).order == _expected_order(campaign)[:PAGE]


def test_a_page_past_the_last_shows_the_last(client, manager):
    campaign, _, _ = _campaign_of(2 * PAGE + 2, manager)
    client.force_login(manager)

    response = client.get(matrix_url(campaign, page=9))

    assert response.context["page"].number == 3
    assert Matrix(response.content.decode()).order == _expected_order(campaign)[2 * PAGE :]


def test_the_stage_headers_count_all_their_tasks_and_the_summary_all_pages(client, manager):
    campaign, _, _ = _campaign_of(4 * PAGE, manager)
    client.force_login(manager)
    today = timezone.localdate()

    response = client.get(matrix_url(campaign, page=2))

    tasks = Task.objects.filter(campaign=campaign)
    for stage, rows, stage_count in response.context["groups"]:
        assert stage_count == tasks.filter(stage=stage).count() > len(rows)
    assert response.context["total"] == 4 * PAGE
    assert response.context["overdue_count"] == tasks.overdue(today=today).count() > 0
    assert f"{4 * PAGE} tasks" in response.content.decode()


def test_the_columns_are_the_people_and_departments_of_the_page(client, manager):
    people = [UserFactory(username=f"p{n}") for n in range(12)]
    campaign, _, _ = _campaign_of(3 * PAGE, manager, people=people)
    client.force_login(manager)

    for number in (1, 2, 3):
        response = client.get(matrix_url(campaign, page=number))
        matrix = Matrix(response.content.decode())
        rows = [selectors.raci_row(task, today=timezone.localdate()) for task in _tasks(matrix.order)]
        assert set(matrix.column_ids("user")) == {person for row in rows for person in row.people}
        assert set(matrix.column_ids("department")) == {department for row in rows for department in row.departments}
        # the filter still offers everyone of the campaign
        assert {person.pk for person in response.context["all_people"]} == {person.pk for person in people}


def _tasks(ids: list[int]) -> list[Task]:
    tasks = selectors.task_list().in_bulk(ids)
    return [tasks[pk] for pk in ids]


def test_the_filters_in_the_database_keep_the_rows_the_row_rule_keeps(client, manager):
    campaign, people, departments = _campaign_of(30, manager)
    stage = campaign.stages.order_by("position")[1]
    client.force_login(manager)
    today = timezone.localdate()
    all_rows = [selectors.raci_row(task, today=today) for task in _tasks(_expected_order(campaign))]
    filters = (
        [{"person": person.pk} for person in people]
        + [{"department": department.pk} for department in departments]
        + [{"status": status} for status in TaskStatus.values]
        + [{"stage": stage.pk}, {"stage": stage.pk, "person": people[1].pk, "department": departments[2].pk}]
    )

    for query in filters:
        wanted = selectors.RaciFilters(**query)
        expected = [row.task.pk for row in all_rows if selectors.raci_matches(row, wanted)]
        pages = _pages(client, campaign, **query)
        assert [task for matrix in pages for task in matrix.order] == expected, query
        assert client.get(matrix_url(campaign, **query)).context["shown_count"] == len(expected)


def test_the_first_and_the_last_page_run_the_same_queries(client, manager, count_queries):
    campaign, _, _ = _campaign_of(3 * PAGE + 1, manager)
    client.force_login(manager)
    client.get(matrix_url(campaign))

    first = count_queries(lambda: client.get(matrix_url(campaign)))
    last = count_queries(lambda: client.get(matrix_url(campaign, page=4)))

    assert first == last
