"""Every export holds exactly the rows its list shows the reader (same scoping, same filters),
read in chunks by id, with a fixed number of queries per chunk whatever the table's size."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from tasks.models import AssignmentRole, TaskStatus
from tasks.services import assignment_set, task_set_status
from tests.api import url
from tests.factories import CampaignFactory, MetricValueFactory, TargetFactory, UserFactory
from tests.factories.adjustments import request_budget
from tests.factories.issues import IssueFactory
from tests.factories.tracking import attainment_threshold, open_alert
from tests.factories.weekly import draft, week_campaign, week_task

pytestmark = pytest.mark.django_db

ENTITIES = {
    "plans": "plan-list",
    "targets": "target-list",
    "campaigns": "campaign-list",
    "metric-values": "metric-value-list",
    "tasks": "task-list",
    "status-updates": "status-update-list",
    "assignments": "assignment-list",
    "alerts": "alert-list",
    "issues": "issue-list",
    "weekly-logs": "weekly-log-list",
    "adjustments": "adjustment-list",
    "reviews": "review-list",
}
READERS = [Role.STAFF, Role.DEPARTMENT_LEAD, Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.VIEWER, "admin", "token"]


def exported_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [int(row["id"]) for row in csv.DictReader(io.StringIO(text))]


@pytest.fixture
def data():
    """Two campaigns with tasks, values, a goal, an alert, an issue, a weekly log and an adjustment."""
    mine, other = week_campaign(), week_campaign()
    for campaign in (mine, other):
        task = week_task(campaign)
        assignment_set(task=task, role=AssignmentRole.CONSULTED, user=UserFactory())
        task_set_status(task=task, status=TaskStatus.IN_PROGRESS, by=task.responsible, note="Briefed")
        IssueFactory(campaign=campaign)
        MetricValueFactory(campaign=campaign)
        draft(campaign)
    open_alert(attainment_threshold(TargetFactory(campaign=mine)))
    request_budget()
    return mine, other


@pytest.mark.parametrize("entity", ENTITIES)
@pytest.mark.parametrize("reader", READERS)
def test_an_export_holds_exactly_the_rows_its_list_shows(client_as, data, entity, reader):
    client = client_as(reader)

    listed = client.get(url(ENTITIES[entity]), {"page_size": 1000})
    exported = exported_ids(client.get(url(f"export-{entity}")))

    assert listed.status_code == 200
    assert exported == sorted(row["id"] for row in listed.json()["results"])


def test_a_staff_member_exports_only_the_tasks_they_may_list(client_as, data):
    mine, _other = data
    person = UserFactory(roles=[Role.STAFF])
    task = week_task(mine, responsible=person)

    assert exported_ids(client_as(person).get(url("export-tasks"))) == [task.pk]


def test_rows_come_once_each_in_id_order_across_chunks(client_as, settings):
    settings.API_EXPORT_CHUNK_ROWS = 2
    campaign = CampaignFactory()
    values = [MetricValueFactory(campaign=campaign, date=date(2026, 6, 1) + timedelta(days=n)) for n in range(5)]

    assert exported_ids(client_as(Role.VIEWER).get(url("export-metric-values"))) == [v.pk for v in values]


def test_an_export_exactly_one_chunk_long_ends(client_as, settings):
    settings.API_EXPORT_CHUNK_ROWS = 3
    campaign = CampaignFactory()
    values = [MetricValueFactory(campaign=campaign, date=date(2026, 6, 1) + timedelta(days=n)) for n in range(3)]

    assert exported_ids(client_as(Role.VIEWER).get(url("export-targets"))) == []
    assert exported_ids(client_as(Role.VIEWER).get(url("export-metric-values"))) == [v.pk for v in values]


@pytest.mark.parametrize("entity", ["tasks", "targets", "campaigns", "metric-values", "status-updates"])
def test_an_export_runs_the_same_queries_for_few_and_many_rows(client_as, entity, settings):
    settings.API_EXPORT_CHUNK_ROWS = 1000
    client = client_as(Role.MARKETING_MANAGER)
    exported_ids(client.get(url(f"export-{entity}")))  # the session's first request loads more

    def queries(count):
        for _n in range(count):
            campaign = week_campaign()
            task = week_task(campaign)
            task_set_status(task=task, status=TaskStatus.IN_PROGRESS, by=task.responsible, note="Briefed")
            MetricValueFactory(campaign=campaign, value=Decimal("1.5"))
        with CaptureQueriesContext(connection) as captured:
            exported_ids(client.get(url(f"export-{entity}")))
        return len(captured)

    assert queries(2) == queries(6)
