"""Importing a campaign's metric values from a file: CSV or XLSX, in UTF-8 or GB18030, with
English or Chinese headers in any order; one value a row, updated (never duplicated) when
imported again."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from core.spreadsheets import header_column
from plans import imports, services
from plans.models import MetricValue, ValueSource
from tests.factories import MetricValueFactory, channel, metric
from tests.plans.imports.uploads import DAY, NEXT_DAY, VALID_CSV, csv_upload, run_import, values_of, xlsx_upload

pytestmark = pytest.mark.django_db

# On PostgreSQL the import records through COPY and one upsert, elsewhere through the
# service; the behaviours below must hold on both paths.
WRITE_PATHS = ["service", "copy"] if "postgresql" in settings.DATABASES["default"]["ENGINE"] else ["service"]


@pytest.fixture(params=WRITE_PATHS)
def write_path(request, monkeypatch):
    if request.param == "service":
        monkeypatch.setattr(services, "_use_copy", lambda: False)
    return request.param


def test_a_valid_csv_records_one_value_a_row_and_reports_them_created(campaign, owner, write_path):
    result = run_import(csv_upload(VALID_CSV), campaign, owner)

    assert result.ok, result.errors
    assert (result.created, result.updated) == (4, 0)
    assert values_of(campaign) == {
        ("units_sold", "ecommerce", DAY): Decimal("1200"),
        ("units_sold", "stores", DAY): Decimal("350"),
        ("marketing_cost", None, DAY): Decimal("8000.5"),
        ("ctr", "ecommerce", NEXT_DAY): Decimal("3.2"),
    }
    value = MetricValue.objects.filter(campaign=campaign).first()
    assert value.source == ValueSource.IMPORT
    assert value.recorded_by == owner
    assert value.plan == campaign.plan


def test_importing_the_same_file_again_updates_the_values_and_never_duplicates_them(campaign, owner, write_path):
    run_import(csv_upload(VALID_CSV), campaign, owner)

    result = run_import(csv_upload(VALID_CSV.replace(",1200", ",1500")), campaign, owner)

    assert (result.created, result.updated) == (0, 4)
    assert MetricValue.objects.filter(campaign=campaign).count() == 4
    assert values_of(campaign)[("units_sold", "ecommerce", DAY)] == Decimal("1500")


def test_a_file_with_new_and_known_values_counts_each(campaign, owner, write_path):
    MetricValueFactory(campaign=campaign, metric=metric("units_sold"), channel=channel("ecommerce"), date=DAY)

    result = run_import(csv_upload(VALID_CSV), campaign, owner)

    assert (result.created, result.updated) == (3, 1)
    assert MetricValue.objects.filter(campaign=campaign).count() == 4


def test_the_same_value_twice_in_a_file_keeps_the_last_one_as_a_spreadsheet_would(campaign, owner, write_path):
    text = f"date,metric,channel,value\n{DAY},units_sold,stores,10\n{DAY},units_sold,stores,20\n"

    result = run_import(csv_upload(text), campaign, owner)

    assert (result.created, result.updated) == (1, 0)
    assert values_of(campaign) == {("units_sold", "stores", DAY): Decimal("20")}


def test_values_of_other_campaigns_are_left_alone(campaign, owner, write_path):
    other = MetricValueFactory(metric=metric("units_sold"), channel=channel("ecommerce"), date=DAY, value=7)

    run_import(csv_upload(VALID_CSV), campaign, owner)

    other.refresh_from_db()
    assert other.value == Decimal("7")


def test_an_xlsx_workbook_with_date_cells_numbers_and_percent_cells_imports(campaign, owner, write_path):
    upload = xlsx_upload(
        [
            ["Date", "Metric", "Channel", "Value"],
            [datetime.combine(DAY, datetime.min.time()), "units_sold", "ecommerce", 1200],
            [DAY.isoformat(), "sales_revenue", None, 99800.5],
            [],  # a blank row between is skipped, but still counts in the numbering
            [datetime.combine(DAY, datetime.min.time()), "ctr", "ecommerce", 0.032],
        ],
        percent_cells=("D5",),
    )

    result = run_import(upload, campaign, owner)

    assert result.ok, result.errors
    assert result.created == 3
    assert values_of(campaign) == {
        ("units_sold", "ecommerce", DAY): Decimal("1200"),
        ("sales_revenue", None, DAY): Decimal("99800.5"),
        ("ctr", "ecommerce", DAY): Decimal("3.2"),
    }


def test_cells_beside_the_named_columns_of_a_workbook_are_ignored(campaign, owner):
    upload = xlsx_upload([["date", "metric", "value"], [DAY.isoformat(), "units_sold", 5, "note: estimate"]])

    result = run_import(upload, campaign, owner)

    assert result.ok, result.errors
    assert values_of(campaign) == {("units_sold", None, DAY): Decimal("5")}


def test_an_xlsx_error_names_the_spreadsheet_row(campaign, owner):
    upload = xlsx_upload(
        [["date", "metric", "channel", "value"], [], [DAY.isoformat(), "units_sold", "moon", 5]],
    )

    result = run_import(upload, campaign, owner)

    assert [(error.row, error.column) for error in result.errors] == [(3, "channel")]


@pytest.mark.parametrize(
    "header",
    [
        "日期,指标代码,渠道,数值",
        "日期,指标,渠道,数值",
        "DATE,Metric_Code,CHANNEL,Value",
        "日期 Date,指标代码 Metric code,渠道 Channel,数值 Value",
        "value,channel,date,metric_code",
    ],
)
def test_headers_in_english_or_chinese_in_any_case_and_order_are_recognised(campaign, owner, header):
    columns = [header_column(name, imports.ALIAS_TO_COLUMN) for name in header.split(",")]
    cells = {"date": DAY.isoformat(), "metric": "units_sold", "channel": "ecommerce", "value": "12"}
    text = f"{header}\n{','.join(cells[column] for column in columns)}\n"

    result = run_import(csv_upload(text), campaign, owner)

    assert result.ok, result.errors
    assert values_of(campaign) == {("units_sold", "ecommerce", DAY): Decimal("12")}


def test_a_gb18030_csv_from_chinese_excel_imports_with_chinese_headers_and_names(campaign, owner):
    day = f"{DAY.year}/{DAY.month}/{DAY.day}"  # Chinese Excel writes dates as 2026/6/1
    text = f'日期,指标,渠道,数值\r\n{day},销量,电商平台,"1,200"\r\n{day},营销成本,,¥800\r\n'

    result = run_import(csv_upload(text, encoding="gb18030"), campaign, owner)

    assert result.ok, result.errors
    assert values_of(campaign) == {
        ("units_sold", "ecommerce", DAY): Decimal("1200"),
        ("marketing_cost", None, DAY): Decimal("800"),
    }


def test_a_utf8_csv_with_a_byte_order_mark_imports(campaign, owner):
    result = run_import(csv_upload("\ufeff" + VALID_CSV.replace("date", "日期", 1)), campaign, owner)

    assert result.ok, result.errors
    assert result.created == 4


def test_a_semicolon_separated_csv_imports(campaign, owner):
    result = run_import(csv_upload(f"date;metric;channel;value\n{DAY};units_sold;stores;5\n"), campaign, owner)

    assert result.ok, result.errors
    assert values_of(campaign) == {("units_sold", "stores", DAY): Decimal("5")}


def test_a_file_without_a_channel_column_records_values_for_the_whole_campaign(campaign, owner):
    result = run_import(csv_upload(f"date,metric,value\n{DAY},new_members,40\n"), campaign, owner)

    assert result.ok, result.errors
    assert values_of(campaign) == {("new_members", None, DAY): Decimal("40")}


def test_a_percentage_written_with_a_percent_sign_is_taken_as_shown(campaign, owner):
    result = run_import(csv_upload(f"date,metric,channel,value\n{DAY},ctr,social,4.5%\n"), campaign, owner)

    assert result.ok, result.errors
    assert values_of(campaign) == {("ctr", "social", DAY): Decimal("4.5")}
