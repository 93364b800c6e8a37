"""The import writes its good rows in chunks while it checks the next ones (on PostgreSQL from
a thread of its own): across chunks the rule is the same as in one — all or nothing, the last
row of a key wins, each key counted once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from plans import imports, services
from plans.models import MetricValue, ValueSource, metric_value_key
from tests.factories import MetricValueFactory, channel, metric
from tests.plans.imports.uploads import DAY, TODAY, csv_upload, run_import, values_of

pytestmark = pytest.mark.django_db

WRITE_PATHS = ["service", "copy"] if "postgresql" in settings.DATABASES["default"]["ENGINE"] else ["service"]


@pytest.fixture(params=WRITE_PATHS)
def write_path(request, monkeypatch):
    if request.param == "service":
        monkeypatch.setattr(services, "_use_copy", lambda: False)
    monkeypatch.setattr(imports, "CHUNK_ROWS", 3)
    return request.param


def rows(count: int) -> list[str]:
    """`count` rows of unit sales, one a day back from DAY, on the e-commerce channel."""
    return [f"{DAY - timedelta(days=n)},units_sold,ecommerce,{n + 1}" for n in range(count)]


def csv_of(lines: list[str]):
    return csv_upload("date,metric,channel,value\n" + "\n".join(lines) + "\n")


def test_a_file_of_several_chunks_records_every_row(campaign, owner, write_path):
    result = run_import(csv_of(rows(8)), campaign, owner)  # chunks of 3, 3 and 2

    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated) == (8, 8, 0)
    assert MetricValue.objects.filter(campaign=campaign, source=ValueSource.IMPORT).count() == 8


def test_a_key_given_again_in_a_later_chunk_keeps_the_later_value_and_counts_once(campaign, owner, write_path):
    lines = rows(6)
    lines.append(f"{DAY},units_sold,ecommerce,999")  # the key of the first row, in the third chunk

    result = run_import(csv_of(lines), campaign, owner)

    assert (result.created, result.updated) == (6, 0)
    assert MetricValue.objects.filter(campaign=campaign).count() == 6
    assert values_of(campaign)[("units_sold", "ecommerce", DAY)] == Decimal("999")

    again = run_import(csv_of(lines), campaign, owner)

    assert (again.created, again.updated) == (0, 6)


def test_a_bad_row_after_written_chunks_saves_nothing_and_is_reported(campaign, owner, write_path):
    lines = rows(7)
    lines.append(f"{DAY},units_sold,ecommerce,lots")  # row 9 of the file, after two chunks

    result = run_import(csv_of(lines), campaign, owner)

    assert not result.ok
    assert [(error.row, error.column) for error in result.errors] == [(9, "value")]
    assert result.rows == 8
    assert MetricValue.objects.filter(campaign=campaign).count() == 0


def test_a_failed_write_of_a_later_chunk_saves_nothing(campaign, owner, write_path, monkeypatch):
    store, calls = services._store, []

    def failing(values, **kwargs):
        calls.append(len(values))
        if len(calls) == 2:
            raise IntegrityError("the second chunk fails")
        return store(values, **kwargs)

    monkeypatch.setattr(services, "_store", failing)

    with pytest.raises(IntegrityError):
        run_import(csv_of(rows(8)), campaign, owner)

    assert calls[:2] == [3, 3]
    assert MetricValue.objects.filter(campaign=campaign).count() == 0


def write(campaign, owner, *values: dict) -> None:
    with services.campaign_values_writer(campaign=campaign, source=ValueSource.IMPORT, recorded_by=owner) as writer:
        for chunk in values:
            writer.write(chunk)


def test_the_writer_refuses_what_the_import_must_have_refused(campaign, owner, write_path):
    """The service checks again what does not depend on the value, whoever calls it."""

    def key(day, code="units_sold"):
        return metric_value_key(
            metric_id=metric(code).pk, plan_id=campaign.plan_id, campaign_id=campaign.pk, channel_id=None, date=day
        )

    with pytest.raises(ValidationError, match="future"):
        write(campaign, owner, {key(DAY): Decimal(1)}, {key(TODAY + timedelta(days=1)): Decimal(1)})
    with pytest.raises(ValidationError, match="derived"):
        write(campaign, owner, {key(DAY, "conversion_rate"): Decimal(1)})
    assert MetricValue.objects.filter(campaign=campaign).count() == 0

    write(campaign, owner, {key(DAY): Decimal(1)}, {key(TODAY): Decimal(2)})  # today is measured

    assert MetricValue.objects.filter(campaign=campaign).count() == 2


@pytest.mark.skipif(WRITE_PATHS == ["service"], reason="the writer thread runs on PostgreSQL")
def test_foreign_keys_are_deferred_again_after_the_import(campaign, owner, monkeypatch):
    """The writer checks foreign keys as each chunk is written (SET CONSTRAINTS ALL IMMEDIATE),
    then gives the rest of the transaction back Django's deferred checks."""
    from django.db import connection, transaction

    monkeypatch.setattr(imports, "CHUNK_ROWS", 3)
    assert run_import(csv_of(rows(4)), campaign, owner).ok
    with transaction.atomic():
        with connection.cursor() as cursor:  # a dangling reference: refused only at the commit
            cursor.execute(
                "INSERT INTO plans_metricvalue (metric_id, plan_id, campaign_id, channel_id, date, value, source) "
                "SELECT metric_id, plan_id, campaign_id, 987654321, date, value, source FROM plans_metricvalue LIMIT 1"
            )
        transaction.set_rollback(True)


def test_chunks_of_new_keys_and_of_stored_ones_in_one_import_count_and_record_each(campaign, owner, write_path):
    """On PostgreSQL a chunk none of whose keys is stored is copied straight into the table and
    one with a stored key is upserted: one import holding both records the same as either."""
    before = run_import(csv_of(rows(3)[1:2]), campaign, owner)  # DAY - 1 stored already
    assert (before.created, before.updated) == (1, 0)
    lines = [f"{DAY - timedelta(days=n)},units_sold,ecommerce,{n + 1}" for n in range(10, 13)]  # all new
    lines += rows(3)  # DAY, DAY - 1 (stored), DAY - 2
    lines += [f"{DAY - timedelta(days=n)},units_sold,stores,{n + 1}" for n in range(3)]  # new, beside stored ones

    result = run_import(csv_of(lines), campaign, owner)

    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated) == (9, 8, 1)
    stored = MetricValue.objects.filter(campaign=campaign)
    assert stored.count() == 9
    assert values_of(campaign)[("units_sold", "ecommerce", DAY - timedelta(days=1))] == Decimal("2")
    assert values_of(campaign)[("units_sold", "stores", DAY - timedelta(days=2))] == Decimal("3")
    assert set(stored.values_list("source", "recorded_by", "plan")) == {
        (ValueSource.IMPORT, owner.pk, campaign.plan_id)
    }
    # Every value of the import recorded at the same time, whichever statement wrote it.
    assert stored.values("recorded_at").distinct().count() == 1


POSTGRESQL_ONLY = pytest.mark.skipif(WRITE_PATHS == ["service"], reason="the COPY paths run on PostgreSQL")


@POSTGRESQL_ONLY
def test_a_first_import_copies_every_chunk_straight_into_the_table(campaign, owner, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 3)
    taken = []
    for name in ("_copy_into_table", "_upsert_from_staging"):
        function = getattr(services, name)
        monkeypatch.setattr(
            services, name, lambda *args, _f=function, _n=name, **kwargs: taken.append(_n) or _f(*args, **kwargs)
        )

    first = run_import(csv_of(rows(8)), campaign, owner)

    assert (first.created, first.updated) == (8, 0)
    assert taken == ["_copy_into_table"] * 3
    value = MetricValue.objects.filter(campaign=campaign).first()
    assert (value.source, value.recorded_by, value.plan) == (ValueSource.IMPORT, owner, campaign.plan)

    taken.clear()
    again = run_import(csv_of(rows(8)), campaign, owner)

    assert (again.created, again.updated) == (0, 8)
    assert taken == ["_upsert_from_staging"] * 3
    assert MetricValue.objects.filter(campaign=campaign).count() == 8


@POSTGRESQL_ONLY
def test_a_key_stored_by_a_writer_without_the_lock_makes_the_copy_fall_back_to_the_upsert(campaign, owner, monkeypatch):
    """The admin takes no advisory lock: a value it stores after the look for stored values
    makes the direct COPY fail on the unique key; the chunk is upserted instead, all of it."""
    monkeypatch.setattr(imports, "CHUNK_ROWS", 3)
    monkeypatch.setattr(services, "_any_stored", lambda *args: False)  # as if stored after the look
    MetricValueFactory(campaign=campaign, metric=metric("units_sold"), channel=channel("ecommerce"), date=DAY, value=7)

    result = run_import(csv_of(rows(5)), campaign, owner)

    assert result.ok, result.errors
    assert (result.created, result.updated) == (4, 1)
    assert MetricValue.objects.filter(campaign=campaign).count() == 5
    assert values_of(campaign)[("units_sold", "ecommerce", DAY)] == Decimal("1")


@POSTGRESQL_ONLY
def test_a_dangling_reference_in_a_directly_copied_chunk_saves_nothing(campaign, owner):
    """The direct COPY checks foreign keys as it writes, like the upsert: an error undoes the
    whole import, not only the chunk."""
    key = metric_value_key(
        metric_id=metric("units_sold").pk, plan_id=campaign.plan_id, campaign_id=campaign.pk, channel_id=None, date=DAY
    )
    dangling = (key[0], key[1], DAY - timedelta(days=1), 987654321, key[4])  # a day with no value: copied straight in

    with pytest.raises(IntegrityError):
        write(campaign, owner, {key: Decimal(1)}, {dangling: Decimal(2)})

    assert MetricValue.objects.filter(campaign=campaign).count() == 0
