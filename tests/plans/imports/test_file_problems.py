"""What is wrong with an import file is reported with its row and column, every problem at
once, and nothing is saved: bad cells, missing or doubled columns, an empty file, a file
that is not CSV or XLSX, too many rows, too many bytes."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plans import imports
from plans.models import MetricValue
from tests.factories import MetricValueFactory, channel, metric
from tests.plans.imports.uploads import DAY, TODAY, VALID_CSV, csv_upload, run_import

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (f"{DAY},visits,ecommerce,5", "metric", "“visits” is not a metric code"),
        (f"{DAY},,ecommerce,5", "metric", "metric code is missing"),
        (f"{DAY},units_sold,moon,5", "channel", "“moon” is not a channel code"),
        ("2026-13-01,units_sold,ecommerce,5", "date", "“2026-13-01” is not a date"),
        ("01/06/2026,units_sold,ecommerce,5", "date", "is not a date: write it as YYYY-MM-DD"),
        (",units_sold,ecommerce,5", "date", "date is missing"),
        (f"{TODAY + timedelta(days=1)},units_sold,ecommerce,5", "date", "is in the future"),
        (f"{DAY},units_sold,ecommerce,lots", "value", "“lots” is not a number"),
        (f"{DAY},units_sold,ecommerce,", "value", "value is missing"),
        (f"{DAY},units_sold,ecommerce,-3", "value", "cannot be negative"),
        (f"{DAY},units_sold,ecommerce,2.5", "value", "must be a whole number"),
        (f"{DAY},ctr,ecommerce,130", "value", "cannot be over 100"),
        (f"{DAY},sales_revenue,ecommerce,1e20", "value", "too large"),
    ],
)
def test_a_bad_row_is_reported_with_its_row_and_column_and_nothing_is_saved(campaign, owner, row, column, message):
    before = MetricValue.objects.count()
    text = f"date,metric,channel,value\n{DAY},units_sold,stores,10\n{row}\n"

    result = run_import(csv_upload(text), campaign, owner)

    assert not result.ok
    assert [(error.row, error.column) for error in result.errors] == [(3, column)]
    assert message in result.errors[0].message
    assert MetricValue.objects.count() == before


def test_a_number_with_an_unquoted_thousands_separator_is_refused_rather_than_cut(campaign, owner):
    result = run_import(csv_upload(f"date,metric,channel,value\n{DAY},units_sold,stores,1,200\n"), campaign, owner)

    assert [(error.row, error.column) for error in result.errors] == [(2, "")]
    assert "more cells than the first row has columns" in result.errors[0].message
    assert MetricValue.objects.count() == 0


def test_every_problem_of_every_row_is_reported_and_known_values_keep_their_value(campaign, owner):
    known = MetricValueFactory(
        campaign=campaign, metric=metric("units_sold"), channel=channel("ecommerce"), date=DAY, value=100
    )
    text = (
        "日期,指标代码,渠道,数值\n"
        f"{DAY},units_sold,ecommerce,999\n"
        f"{DAY},nope,moon,abc\n"
        f"not-a-date,units_sold,stores,7\n"
        f"{DAY},ctr,ecommerce,101\n"
    )

    result = run_import(csv_upload(text), campaign, owner)

    assert [(error.row, error.column) for error in result.errors] == [
        (3, "指标代码"),
        (3, "渠道"),
        (3, "数值"),
        (4, "日期"),
        (5, "数值"),
    ]
    assert MetricValue.objects.count() == 1
    known.refresh_from_db()
    assert known.value == Decimal("100")


def test_a_file_without_the_required_headers_names_the_missing_columns(campaign, owner):
    result = run_import(csv_upload(f"day,metric,amount\n{DAY},units_sold,5\n"), campaign, owner)

    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.row is None
    assert error.message.startswith("The file has no date and value columns. The first row must name the columns")
    assert "“day”, “metric”, “amount”" in error.message
    assert MetricValue.objects.count() == 0


def test_a_file_without_the_metric_column_says_so(campaign, owner):
    result = run_import(csv_upload(f"日期,渠道,数值\n{DAY},stores,5\n"), campaign, owner)

    assert result.errors[0].message.startswith("The file has no metric column.")
    assert MetricValue.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"date,metric,value", "column headers but no rows"),
        (b"\r\n \r\n", "The file is empty."),
        (b"date,metric,channel,value\r\n", "column headers but no rows"),
    ],
)
def test_an_empty_file_is_refused(campaign, owner, content, message):
    result = run_import(SimpleUploadedFile("values.csv", content), campaign, owner)

    assert len(result.errors) == 1
    assert message in result.errors[0].message
    assert MetricValue.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither a CSV file nor an Excel workbook"),
        ("report.pdf", b"%PDF-1.7 date,metric,channel,value", "neither a CSV file nor an Excel workbook"),
        ("values.csv", b"date,metric\x00\x00\x01\x02", "neither a CSV file nor an Excel workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old Excel format (.xls)"),
        ("values.xlsx", b"PK\x03\x04 not really a zip", "not a valid Excel workbook"),
        ("values.xlsx", b"date,metric,channel,value\n", "not a valid Excel workbook"),
    ],
)
def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(campaign, owner, name, content, message):
    result = run_import(SimpleUploadedFile(name, content), campaign, owner)

    assert len(result.errors) == 1
    assert message in result.errors[0].message
    assert MetricValue.objects.count() == 0


def test_a_zip_archive_that_is_not_a_workbook_is_refused(campaign, owner):
    import zipfile

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("notes.txt", "hello")

    result = run_import(SimpleUploadedFile("values.xlsx", output.getvalue()), campaign, owner)

    assert "not a valid Excel workbook" in result.errors[0].message


def test_a_file_with_too_many_rows_is_refused_before_anything_is_saved(campaign, owner, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = "".join(f"{DAY - timedelta(days=n)},units_sold,,{n}\n" for n in range(4))

    result = run_import(csv_upload("date,metric,channel,value\n" + rows), campaign, owner)

    assert len(result.errors) == 1
    assert "more than 3 rows" in result.errors[0].message
    assert MetricValue.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(campaign, owner, monkeypatch):
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 1024)

    result = run_import(csv_upload(VALID_CSV * 20), campaign, owner)

    assert "larger than" in result.errors[0].message
    assert MetricValue.objects.count() == 0


def test_two_columns_for_the_same_thing_are_refused(campaign, owner):
    result = run_import(csv_upload(f"date,日期,metric,value\n{DAY},{DAY},units_sold,5\n"), campaign, owner)

    assert "“date” and “日期”" in result.errors[0].message
    assert MetricValue.objects.count() == 0
