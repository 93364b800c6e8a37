"""On PostgreSQL the metric values' CSV export is written by COPY: the same cells, byte for
byte, as the serializer writes (the NDJSON export and every other database), chunk by chunk."""

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from plans.models import Channel, ChannelKind, MetricValue
from tests.api import url
from tests.database_faults import postgresql_only
from tests.factories import CampaignFactory, MetricValueFactory

pytestmark = [pytest.mark.django_db, postgresql_only]


def body(response) -> str:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def values():
    campaign = CampaignFactory()
    risky = Channel.objects.create(code="-cmd", name_en="Risky", name_zh="风险", kind=ChannelKind.ONLINE)
    negative = Channel.objects.create(code="-12", name_en="Number", name_zh="数字", kind=ChannelKind.ONLINE)
    rows = [
        MetricValueFactory(campaign=campaign, date=date(2026, 6, 1), value=Decimal("-12.5")),
        MetricValueFactory(campaign=campaign, date=date(2026, 6, 2), channel=risky, value=Decimal("1234567.8912")),
        MetricValueFactory(campaign=campaign, date=date(2026, 6, 3), channel=negative),
        MetricValueFactory(campaign=None, plan=campaign.plan, date=date(1, 1, 1)),
        MetricValueFactory(campaign=campaign, date=date(9999, 12, 31)),
    ]
    # One time with no fraction of a second, one with.
    MetricValue.objects.filter(pk=rows[0].pk).update(recorded_at=datetime(2026, 6, 1, 16, 0, tzinfo=UTC))
    MetricValue.objects.filter(pk=rows[1].pk).update(recorded_at=datetime(2026, 6, 1, 16, 0, 0, 1234, tzinfo=UTC))
    return rows


def test_the_copy_export_writes_what_the_serializer_writes(client_as, values, settings, monkeypatch):
    settings.API_EXPORT_CHUNK_ROWS = 2
    monkeypatch.setattr("plans.api.export.COPY_CHUNK_ROWS", 2)
    client = client_as(Role.VIEWER)

    copied = list(csv.DictReader(io.StringIO(body(client.get(url("export-metric-values")))[1:])))
    serialized = [
        json.loads(line) for line in body(client.get(url("export-metric-values"), {"format": "ndjson"})).splitlines()
    ]

    expected = [
        {
            key: "" if value is None else (("'" + value) if key == "channel" and value == "-cmd" else str(value))
            for key, value in row.items()
        }
        for row in serialized
    ]
    assert copied == expected
    assert [row["id"] for row in copied] == [str(v.pk) for v in values]
    assert copied[1]["channel"] == "'-cmd"
    assert copied[2]["channel"] == "-12"
    assert copied[0]["recorded_at"] == "2026-06-02T00:00:00+08:00"


def test_the_copy_export_takes_the_lists_filters(client_as, values):
    response = client_as(Role.VIEWER).get(
        url("export-metric-values"), {"date_after": "2026-06-02", "date_before": "2026-06-03"}
    )

    lines = body(response).splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == [str(values[1].pk), str(values[2].pk)]


def test_the_copy_export_streams_a_chunk_per_statement(client_as, values, settings, monkeypatch):
    settings.API_EXPORT_CHUNK_ROWS = 2
    monkeypatch.setattr("plans.api.export.COPY_CHUNK_ROWS", 2)
    client = client_as(Role.VIEWER)
    client.get(url("export-metric-values"))

    response = client.get(url("export-metric-values"))
    chunks = list(response.streaming_content)

    assert len(chunks) == 1 + 3  # the header, then 2 + 2 + 1 rows
    assert chunks[0].decode().startswith("\ufeffid,metric,plan,campaign,channel,date,value,source")


def test_the_date_range_spans_every_year(client_as, values):
    text = body(client_as(Role.VIEWER).get(url("export-metric-values")))

    assert ",0001-01-01," in text
    assert ",9999-12-31," in text


def test_times_in_utc_end_in_z_as_the_serializer_writes_them(client_as, values):
    client = client_as(Role.VIEWER)

    with timezone.override(UTC):
        copied = body(client.get(url("export-metric-values"))).splitlines()[1]
        serialized = json.loads(body(client.get(url("export-metric-values"), {"format": "ndjson"})).splitlines()[0])

    assert copied.endswith(",2026-06-01T16:00:00Z")
    assert serialized["recorded_at"] == "2026-06-01T16:00:00Z"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_next_chunks_are_read_ahead_and_the_file_is_the_same(
    client_as, values, settings, monkeypatch
):
    """A real request is in no transaction: the COPY statements after the first run in a thread
    of their own while the last chunk is sent (committed rows, so the thread's connection sees
    them). The file is byte for byte the one the statements give one after the other."""
    import threading

    from core.api import export

    settings.API_EXPORT_CHUNK_ROWS = 2
    monkeypatch.setattr("plans.api.export.COPY_CHUNK_ROWS", 2)
    client = client_as(Role.VIEWER)
    started = []
    ahead_stream = export._copy_stream_ahead

    def spy(*args):
        started.append(True)
        return ahead_stream(*args)

    monkeypatch.setattr(export, "_copy_stream_ahead", spy)

    ahead = list(client.get(url("export-metric-values")).streaming_content)
    assert started, "the read-ahead path was not taken outside a transaction"
    monkeypatch.setattr(export, "_copy_stream_ahead", lambda *args: export._copy_stream(*args))
    serial = list(client.get(url("export-metric-values")).streaming_content)

    assert b"".join(ahead) == b"".join(serial)
    assert len(ahead) == 1 + 3  # the header, then 2 + 2 + 1 rows
    assert not [t for t in threading.enumerate() if t.name == "export-copy-ahead"]


@pytest.mark.django_db(transaction=True)
def test_a_client_that_leaves_early_stops_the_reading_ahead(client_as, values, settings, monkeypatch):
    import threading

    settings.API_EXPORT_CHUNK_ROWS = 2
    monkeypatch.setattr("plans.api.export.COPY_CHUNK_ROWS", 2)
    campaign = values[0].campaign
    for day in range(1, 21):  # 25 rows: 13 chunks, more than the thread may hold ready
        MetricValueFactory(campaign=campaign, date=date(2026, 7, day))
    response = client_as(Role.VIEWER).get(url("export-metric-values"))
    stream = iter(response.streaming_content)
    next(stream), next(stream), next(stream)  # the header, the first chunk, the second

    response.close()

    assert not [t for t in threading.enumerate() if t.name == "export-copy-ahead" and t.is_alive()]
