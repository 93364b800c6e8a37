"""Times in list filters (?updated_after=, ?opened_before=…) are read as UTC: any offset ISO 8601
allows works on every database, and a time outside the years 1–9999 in UTC is a 400 naming the
filter, not a server error."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.urls import reverse

from accounts.models import Role
from plans.models import Channel

pytestmark = pytest.mark.django_db

FAR_EAST = timezone(timedelta(hours=17, minutes=6))  # valid ISO 8601; PostgreSQL allows ±15:59 only


def _channels(client, since: str):
    return client.get(reverse("api:channel-list"), {"updated_after": since, "page_size": 1000})


def test_an_offset_beyond_what_postgresql_takes_is_read_as_the_same_moment(client_as):
    channel = Channel.objects.order_by("pk").first()
    changed = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    Channel.objects.filter(pk=channel.pk).update(updated_at=changed)
    Channel.objects.exclude(pk=channel.pk).update(updated_at=changed - timedelta(days=1))
    client = client_as(Role.VIEWER)

    just_before = _channels(client, (changed - timedelta(seconds=1)).astimezone(FAR_EAST).isoformat())
    just_after = _channels(client, changed.astimezone(FAR_EAST).isoformat())

    assert just_before.status_code == 200
    assert [row["id"] for row in just_before.json()["results"]] == [channel.pk]
    assert just_after.json()["results"] == []


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_time_outside_the_calendar_in_utc_is_refused_naming_the_filter(client_as, moment):
    response = _channels(client_as(Role.VIEWER), moment)

    assert response.status_code == 400
    assert "updated_after" in response.json()


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("alert-list", {"opened_after": "2026-06-01T00:00:00+17:06", "opened_before": "2026-06-02T00:00:00-17:30"}),
        ("status-update-list", {"created_before": "2026-06-01T00:00:00+17:06"}),
        ("notification-list", {"created_after": "2026-06-01T00:00:00+17:06"}),
    ],
)
def test_every_time_filter_reads_any_offset(client_as, name, query):
    assert client_as(Role.MARKETING_MANAGER).get(reverse(f"api:{name}"), query).status_code == 200
