"""Walking a synced list by cursor (core.sync, core.api.pagination): every row once at its
latest state, ties on the change time, the safety lag, bad cursors, fixed query counts."""

import base64
import itertools
import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from plans.models import Campaign
from tasks.services import task_set_status
from tests.api import url
from tests.factories import TargetFactory, record
from tests.factories.plans import CampaignFactory
from tests.factories.tasks import TaskFactory
from tests.factories.tracking import ThresholdFactory, breach
from tracking.services.alerts import alert_open_or_keep

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_lag(settings):
    settings.API_SYNC_LAG_SECONDS = 0


def page(client, name, params):
    response = client.get(url(name), params)
    assert response.status_code == 200, response.content
    return response.json()


def walk(client, name, *, cursor=None, page_size=3, between_pages=None, **params):
    """Every page of a walk: (rows in the order handed out, the cursor to resume at)."""
    seen, pages = [], 0
    query = {"page_size": page_size, **params, **({"cursor": cursor} if cursor else {"sync": "1"})}
    while True:
        body = page(client, name, query)
        seen += body["results"]
        pages += 1
        if between_pages and pages == 1:
            between_pages(seen)
        assert "count" not in body
        assert "previous" not in body
        if body["next"] is None:
            return seen, body["cursor"]
        query = {"page_size": page_size, **params, "cursor": body["cursor"]}
        assert f"cursor={body['cursor']}" in body["next"]


def test_a_walk_sees_every_row_once_at_its_latest_state_while_rows_change_between_pages(token_client):
    campaigns = CampaignFactory.create_batch(7)
    plan = campaigns[0].plan
    Campaign.objects.update(plan=plan)  # one plan: the rows share its filters
    changes = {}

    def change_rows(seen_so_far):
        seen_ids = [row["id"] for row in seen_so_far]
        already_seen = Campaign.objects.get(pk=seen_ids[0])
        not_yet_seen = Campaign.objects.exclude(pk__in=seen_ids).order_by("updated_at", "pk").last()
        for campaign, name in ((already_seen, "seen, then renamed"), (not_yet_seen, "renamed before it was seen")):
            campaign.name = name
            campaign.save()
        changes["seen"], changes["unseen"] = already_seen.pk, not_yet_seen.pk
        changes["new"] = CampaignFactory(plan=plan, name="added during the walk").pk

    seen, cursor = walk(token_client, "campaign-list", between_pages=change_rows)

    times = [(datetime.fromisoformat(row["updated_at"]), row["id"]) for row in seen]
    handed_out = [row["id"] for row in seen]
    # The row changed after it was seen comes again, at its new place and state; every other
    # row exactly once.
    assert sorted(handed_out) == sorted([*Campaign.objects.values_list("pk", flat=True), changes["seen"]])
    assert handed_out.count(changes["seen"]) == 2
    assert [row["name"] for row in seen if row["id"] == changes["unseen"]] == ["renamed before it was seen"]
    assert changes["new"] in handed_out
    # The walk's final picture (the last state of each id) is the database's.
    mirror = {row["id"]: (row["name"], row["updated_at"]) for row in seen}
    database = {
        campaign.pk: (campaign.name, campaign.updated_at.isoformat().replace("+00:00", "Z"))
        for campaign in Campaign.objects.all()
    }
    assert {pk: name for pk, (name, _at) in mirror.items()} == {pk: name for pk, (name, _at) in database.items()}
    # Handed out in strictly increasing (change time, id) order, across pages too.
    assert all(earlier < later for earlier, later in itertools.pairwise(times))

    # Nothing changed since: resuming at the saved cursor hands out nothing.
    assert walk(token_client, "campaign-list", cursor=cursor)[0] == []
    Campaign.objects.filter(pk=changes["new"]).update(name="changed after the sync", updated_at=timezone.now())
    again, _cursor = walk(token_client, "campaign-list", cursor=cursor)
    assert [(row["id"], row["name"]) for row in again] == [(changes["new"], "changed after the sync")]


def test_rows_that_share_a_change_time_are_handed_out_once_each_in_id_order(token_client):
    campaigns = CampaignFactory.create_batch(5)
    moment = timezone.now() - timedelta(minutes=1)
    Campaign.objects.update(updated_at=moment)

    seen, _cursor = walk(token_client, "campaign-list", page_size=2)

    assert [row["id"] for row in seen] == sorted(campaign.pk for campaign in campaigns)


def test_a_walk_starts_at_updated_after(token_client):
    old, recent = CampaignFactory.create_batch(2)
    cutoff = timezone.now() - timedelta(hours=1)
    Campaign.objects.filter(pk=old.pk).update(updated_at=cutoff - timedelta(days=1))

    seen, _cursor = walk(token_client, "campaign-list", updated_after=cutoff.isoformat())

    assert [row["id"] for row in seen] == [recent.pk]


def test_a_walk_resumed_from_an_empty_start_hands_out_what_came_after(token_client):
    seen, cursor = walk(token_client, "campaign-list")
    assert seen == []
    campaign = CampaignFactory()
    assert [row["id"] for row in walk(token_client, "campaign-list", cursor=cursor)[0]] == [campaign.pk]


def test_rows_changed_within_the_safety_lag_wait_for_the_next_sync(token_client, settings):
    settings.API_SYNC_LAG_SECONDS = 5
    settled, fresh = CampaignFactory.create_batch(2)
    now = timezone.now()
    Campaign.objects.filter(pk=settled.pk).update(updated_at=now - timedelta(seconds=6))
    Campaign.objects.filter(pk=fresh.pk).update(updated_at=now - timedelta(seconds=3))

    seen, cursor = walk(token_client, "campaign-list")
    assert [row["id"] for row in seen] == [settled.pk]

    Campaign.objects.filter(pk=fresh.pk).update(updated_at=now - timedelta(seconds=5, milliseconds=100))
    assert [row["id"] for row in walk(token_client, "campaign-list", cursor=cursor)[0]] == [fresh.pk]


def test_the_page_size_is_bounded(token_client):
    CampaignFactory.create_batch(3)
    body = page(token_client, "campaign-list", {"sync": "1", "page_size": "1"})
    assert len(body["results"]) == 1
    assert body["next"]
    body = page(token_client, "campaign-list", {"sync": "1", "page_size": "100000"})
    assert len(body["results"]) == 3
    assert body["next"] is None


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "!!!!",
        b64("2026-06-01T00:00:00+00:00"),
        b64("2026-06-01T00:00:00+00:00|x"),
        b64("2026-06-01T00:00:00+00:00|-1"),
        b64("2026-06-01T00:00:00+00:00|١٢"),
        b64("2026-06-01T00:00:00+00:00|99999999999999999999"),
        b64("2026-06-01T00:00:00|12"),  # no offset
        b64("0001-01-01T00:00:00+23:59|1"),  # before year 1 in UTC
        b64("9999-12-31T23:59:59-23:59|1"),  # after 9999 in UTC
        b64("2026-13-01T00:00:00+00:00|1"),
        base64.urlsafe_b64encode(b"\xff\xfe|1").decode(),
        "A" * 500,
    ],
)
def test_a_bad_cursor_is_a_400_naming_the_cursor(token_client, cursor):
    response = token_client.get(url("campaign-list"), {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_a_cursor_with_a_page_number_or_on_a_list_that_is_not_synced_is_a_400(token_client):
    response = token_client.get(url("campaign-list"), {"sync": "1", "page": "2"})
    assert response.status_code == 400
    assert "page" in response.json()
    response = token_client.get(url("notification-list"), {"sync": "1"})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_page_numbers_still_work_for_current_clients(token_client):
    CampaignFactory.create_batch(3)
    body = page(token_client, "campaign-list", {"page_size": 2, "page": 2})
    assert body["count"] == 3
    assert len(body["results"]) == 1


def test_the_cursor_rides_in_headers_for_csv(token_client):
    CampaignFactory.create_batch(3)
    response = token_client.get(url("campaign-list"), {"sync": "1", "page_size": 2, "format": "csv"})
    assert response.status_code == 200
    assert response["X-Sync-Cursor"]
    assert 'rel="next"' in response["Link"]
    assert response.content.decode("utf-8-sig").count("\r\n") == 3  # a header and two rows


@pytest.mark.parametrize(
    "name", ["campaign-list", "task-list", "status-update-list", "metric-value-list", "alert-list", "deletion-list"]
)
def test_a_cursor_page_runs_a_fixed_number_of_queries(token_client, count_queries, name):
    def build(n):
        for day in range(n):
            task = TaskFactory()
            task_set_status(task=task, status="in_progress", by=task.responsible)
            record(task.campaign, "units_sold", {day + 1: 10})
            threshold = ThresholdFactory(target=TargetFactory(campaign=task.campaign))
            alert_open_or_keep(threshold=threshold, breach=breach())
            CampaignFactory().delete()

    build(2)
    small = count_queries(lambda: token_client.get(url(name), {"sync": "1", "page_size": 1000}))
    build(5)
    large = count_queries(lambda: token_client.get(url(name), {"sync": "1", "page_size": 1000}))
    assert len(token_client.get(url(name), {"sync": "1"}).json()["results"]) >= 5
    assert small == large


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_walk_waits_for_a_transaction_still_open_whatever_the_lag(token_client):
    """A slow transaction wrote a change time before a quick one committed a later one: the walk
    hands out neither until the slow one commits, so the cursor never passes a row unseen."""
    if connection.vendor != "postgresql":
        pytest.skip("Reads pg_stat_activity: run with DATABASE_URL=postgres://…")
    slow, quick = CampaignFactory.create_batch(2)
    written, release = threading.Event(), threading.Event()

    def slow_transaction():
        try:
            with transaction.atomic():
                Campaign.objects.filter(pk=slow.pk).update(name="slow", updated_at=timezone.now())
                written.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_transaction)
    thread.start()
    try:
        assert written.wait(30)
        Campaign.objects.filter(pk=quick.pk).update(name="quick", updated_at=timezone.now())
        seen, cursor = walk(token_client, "campaign-list")
        # The slow row's committed (older) state only: the quick change waits behind it.
        assert [(row["id"], row["name"]) for row in seen] == [(slow.pk, slow.name)]
    finally:
        release.set()
        thread.join()
    seen, _cursor = walk(token_client, "campaign-list", cursor=cursor)
    assert [row["name"] for row in seen] == ["slow", "quick"]


def test_the_safety_lag_boundary_a_row_exactly_at_the_horizon_is_handed_out(token_client, settings, monkeypatch):
    settings.API_SYNC_LAG_SECONDS = 5
    now = timezone.now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    at_horizon, just_after = CampaignFactory.create_batch(2)
    Campaign.objects.filter(pk=at_horizon.pk).update(updated_at=now - timedelta(seconds=5))
    Campaign.objects.filter(pk=just_after.pk).update(updated_at=now - timedelta(seconds=5) + timedelta(microseconds=1))

    seen, _cursor = walk(token_client, "campaign-list")

    assert [row["id"] for row in seen] == [at_horizon.pk]
