"""The register pages, an issue's page, the department lead's dashboard and the API list run
the same number of queries with 10 or 1,000 issues."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.api import url
from tests.factories import StageFactory, TaskFactory
from tests.factories.issues import JUNE_8
from tracking.models import Issue, IssueState

pytestmark = pytest.mark.django_db


def fill(campaign, department, owner, tasks, n: int) -> None:
    """n issues of the campaign in every state, half past their deadline, each affecting two
    tasks, written in bulk."""
    states = list(IssueState)
    issues = Issue.objects.bulk_create(
        Issue(
            campaign=campaign,
            description=f"Problem {i}",
            occurred_at=JUNE_8,
            department=department,
            owner=owner,
            deadline=date(2026, 6, 10) + timedelta(days=i % 10),
            state=states[i % 3],
        )
        for i in range(n)
    )
    through = Issue.affected_tasks.through
    through.objects.bulk_create(
        through(issue_id=issue.pk, task_id=tasks[(i + k) % len(tasks)].pk)
        for i, issue in enumerate(issues)
        for k in range(2)
    )


@pytest.fixture
def grow(campaign, department, issue_owner, task, frozen):
    tasks = [task, *(TaskFactory(stage=task.stage) for _ in range(4))]

    def more(n):
        fill(campaign, department, issue_owner, tasks, n)

    return more


PAGES = {
    "register": lambda issue: reverse("tracking:issue_list"),
    "campaign register": lambda issue: reverse("tracking:campaign_issues", args=[issue.campaign_id]),
    "overdue filter": lambda issue: reverse("tracking:issue_list") + "?overdue=yes&state=all",
    "issue": lambda issue: issue.get_absolute_url(),
    "dashboard": lambda issue: reverse("dashboard"),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("who", ["manager", "lead", "doer"])
def test_pages_run_the_same_queries_for_10_and_1000_issues(client, request, count_queries, grow, issue, page, who):
    client.force_login(request.getfixturevalue(who))
    address = PAGES[page](issue)
    grow(10)
    client.get(address)
    small = count_queries(lambda: client.get(address))
    grow(990)
    large = count_queries(lambda: client.get(address))
    assert small == large


def test_the_issue_page_runs_the_same_queries_for_a_short_and_a_long_history(client, manager, count_queries, issue):
    from tracking.services.issues import issue_update

    client.force_login(manager)
    small = count_queries(lambda: client.get(issue.get_absolute_url()))
    for day in range(21, 29):
        issue_update(
            issue=issue,
            by=manager,
            deadline=date(2026, 6, day),
            affected_tasks=[TaskFactory(stage=StageFactory(campaign=issue.campaign))],
        )
    large = count_queries(lambda: client.get(issue.get_absolute_url()))
    assert small == large


@pytest.mark.parametrize("who", ["manager", "lead"])
def test_the_api_list_runs_the_same_queries_for_10_and_1000_issues(client_as, request, count_queries, grow, who):
    api = client_as(request.getfixturevalue(who))
    grow(10)
    api.get(url("issue-list"))
    small = count_queries(lambda: api.get(url("issue-list")))
    grow(990)
    large = count_queries(lambda: api.get(url("issue-list")))
    assert small == large
