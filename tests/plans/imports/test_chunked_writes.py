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
from tests.factories import metric
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
