"""A BI tool mirrors the demo database through the API alone (a read-only token): a full sync
of every synced list, changes and deletions through the services, an incremental sync from
the saved cursors and the deletions feed, and the mirror equals the database. Runs on SQLite
and, with DATABASE_URL=postgres://…, on PostgreSQL (where values are recorded through COPY)."""

from datetime import date, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from core import sync
from plans.models import Campaign, Metric, MetricValue, PlanItem
from plans.services import ValueRow, campaign_update, metric_values_record, plan_item_delete
from tasks.models import Task, TaskStatus
from tasks.services import task_set_status
from tests.api import url
from tracking.evaluation import evaluate_all

pytestmark = pytest.mark.django_db

# Fields compared besides ids and change times, where a list has them.
KEY_FIELDS = ["name", "title", "code", "status", "state", "progress", "value", "target_value", "note", "severity"]


@pytest.fixture(autouse=True)
def _no_lag(settings):
    settings.API_SYNC_LAG_SECONDS = 0


def walk(client, path, cursor):
    """Every row a list hands out from a cursor (or its start), and where to resume."""
    query = {"page_size": 1000, **({"cursor": cursor} if cursor else {"sync": "1"})}
    rows = []
    while True:
        response = client.get(path, query)
        assert response.status_code == 200, (path, response.content[:500])
        body = response.json()
        rows += body["results"]
        if body["next"] is None:
            return rows, body["cursor"]
        query = {"page_size": 1000, "cursor": body["cursor"]}


def mirror_sync(client, mirror, cursors):
    """One sync, as a BI tool runs it: each list from its saved cursor, upserting by id, then
    the deletions feed, dropping what it names."""
    for entry in sync.all_synced():
        rows, cursors[entry.resource] = walk(client, f"/api/v1/{entry.resource}/", cursors.get(entry.resource))
        table = mirror.setdefault(entry.resource, {})
        for row in rows:
            table[row["id"]] = row
    deleted, cursors["deletions"] = walk(client, url("deletion-list"), cursors.get("deletions"))
    for row in deleted:
        mirror.get(row["resource"], {}).pop(row["object_id"], None)
    return len(deleted)


def same(api_value, db_value) -> bool:
    if db_value is None or api_value is None:
        return api_value == db_value
    if isinstance(db_value, Decimal):
        return Decimal(str(api_value)) == db_value
    if isinstance(db_value, datetime):
        return datetime.fromisoformat(api_value) == db_value
    if isinstance(db_value, date):
        return api_value == db_value.isoformat()
    return api_value == db_value


def assert_mirror_equals_database(mirror) -> int:
    """Compare every row; return how many key fields were compared."""
    compared = 0
    for entry in sync.all_synced():
        rows = mirror.get(entry.resource, {})
        database = {obj.pk: obj for obj in entry.model._base_manager.all()}
        assert set(rows) == set(database), entry.resource
        for pk, obj in database.items():
            row = rows[pk]
            assert same(row[entry.field], getattr(obj, entry.field)), (entry.resource, pk)
            for field in KEY_FIELDS:
                if field in row and hasattr(obj, field) and not isinstance(row[field], dict):
                    assert same(row[field], getattr(obj, field)), (entry.resource, pk, field)
                    compared += 1
    return compared


def test_a_bi_tool_mirrors_the_demo_through_the_api_exactly(token_client):
    call_command("seed_demo", stdout=StringIO())
    mirror, cursors = {}, {}

    mirror_sync(token_client, mirror, cursors)
    compared = assert_mirror_equals_database(mirror)
    assert compared > sum(len(rows) for rows in mirror.values()) > 100
    assert all(mirror.get(entry.resource) for entry in sync.all_synced() if entry.model._base_manager.exists())

    # Changes and deletions through the services, as the product makes them.
    task = Task.objects.exclude(status=TaskStatus.DONE).order_by("pk").first()
    task_set_status(task=task, status=TaskStatus.IN_PROGRESS, by=task.responsible, progress=55)
    campaign = Campaign.objects.order_by("pk").first()
    campaign_update(campaign=campaign, name="Renamed for the mirror")
    existing = MetricValue.objects.filter(campaign__isnull=False).order_by("pk").first()
    metric_values_record(
        rows=[
            ValueRow(
                metric=existing.metric,
                date=existing.date,
                value=existing.value + 1,
                plan=existing.plan,
                campaign=existing.campaign,
                channel=existing.channel,
            ),
            ValueRow(
                metric=Metric.objects.get(code="units_sold"),
                date=existing.campaign.start_date,
                value=Decimal(7),
                plan=existing.plan,
            ),
        ]
    )
    evaluate_all()
    item = PlanItem.objects.order_by("pk").first()
    plan_item_delete(item=item)

    assert mirror_sync(token_client, mirror, cursors) >= 1
    assert_mirror_equals_database(mirror)
    assert mirror["tasks"][task.pk]["progress"] == 55
    assert item.pk not in mirror["plan-items"]
