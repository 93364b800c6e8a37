import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import Role
from core.spreadsheets import header_column
from plans import imports, services
from plans.imports import import_metric_values
from plans.models import MetricValue, ValueSource
from tests.factories import CampaignFactory, MetricValueFactory, channel, metric

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = TODAY - timedelta(days=3)
NEXT_DAY = DAY + timedelta(days=1)

# On PostgreSQL the import records through COPY and one upsert, elsewhere through the
# service; the behaviours below must hold on both paths.
WRITE_PATHS = ["service", "copy"] if "postgresql" in settings.DATABASES["default"]["ENGINE"] else ["service"]


@pytest.fixture(params=WRITE_PATHS)
def write_path(request, monkeypatch):
    if request.param == "service":
        monkeypatch.setattr(services, "_use_copy", lambda: False)
    return request.param


@pytest.fixture
def owner(make_user):
    return make_user(Role.STAFF, username="owner")


@pytest.fixture
def campaign(owner):
    return CampaignFactory(owner=owner, start_date=TODAY - timedelta(days=30), end_date=TODAY + timedelta(days=10))


def csv_upload(text: str, *, name: str = "values.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_upload(rows: list[list], *, name: str = "values.xlsx", percent_cells: tuple = ()) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for coordinate in percent_cells:
        sheet[coordinate].number_format = "0.0%"
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


VALID_CSV = f"""date,metric,channel,value
{DAY},units_sold,ecommerce,1200
{DAY},units_sold,stores,350
{DAY},marketing_cost,,8000.50
{NEXT_DAY},conversion_rate,ecommerce,3.2
"""


def run_import(upload, campaign, user):
    return import_metric_values(file=upload, campaign=campaign, user=user)


def values_of(campaign) -> dict:
    return {
        (value.metric.code, value.channel.code if value.channel else None, value.date): value.value
        for value in MetricValue.objects.filter(campaign=campaign).select_related("metric", "channel")
    }


# Valid files ------------------------------------------------------------------------------


def test_a_valid_csv_records_one_value_a_row_and_reports_them_created(campaign, owner, write_path):
    result = run_import(csv_upload(VALID_CSV), campaign, owner)

    assert result.ok, result.errors
    assert (result.created, result.updated) == (4, 0)
    assert values_of(campaign) == {
        ("units_sold", "ecommerce", DAY): Decimal("1200"),
        ("units_sold", "stores", DAY): Decimal("350"),
        ("marketing_cost", None, DAY): Decimal("8000.5"),
        ("conversion_rate", "ecommerce", NEXT_DAY): Decimal("3.2"),
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
            [datetime.combine(DAY, datetime.min.time()), "conversion_rate", "ecommerce", 0.032],
        ],
        percent_cells=("D5",),
    )

    result = run_import(upload, campaign, owner)

    assert result.ok, result.errors
    assert result.created == 3
    assert values_of(campaign) == {
        ("units_sold", "ecommerce", DAY): Decimal("1200"),
        ("sales_revenue", None, DAY): Decimal("99800.5"),
        ("conversion_rate", "ecommerce", DAY): Decimal("3.2"),
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


def test_a_file_without_a_channel_column_records_values_for_the_whole_campaign(campaign, owner):
    result = run_import(csv_upload(f"date,metric,value\n{DAY},new_members,40\n"), campaign, owner)

    assert result.ok, result.errors
    assert values_of(campaign) == {("new_members", None, DAY): Decimal("40")}


def test_a_percentage_written_with_a_percent_sign_is_taken_as_shown(campaign, owner):
    result = run_import(csv_upload(f"date,metric,channel,value\n{DAY},conversion_rate,social,4.5%\n"), campaign, owner)

    assert result.ok, result.errors
    assert values_of(campaign) == {("conversion_rate", "social", DAY): Decimal("4.5")}


# Problems: reported with row and column, nothing saved -------------------------------------


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
        (f"{DAY},conversion_rate,ecommerce,130", "value", "cannot be over 100"),
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
        f"{DAY},conversion_rate,ecommerce,101\n"
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


def test_a_semicolon_separated_csv_imports(campaign, owner):
    result = run_import(csv_upload(f"date;metric;channel;value\n{DAY};units_sold;stores;5\n"), campaign, owner)

    assert result.ok, result.errors
    assert values_of(campaign) == {("units_sold", "stores", DAY): Decimal("5")}


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


# The page ---------------------------------------------------------------------------------


def import_url(campaign) -> str:
    return reverse("plans:metric_values_import", args=[campaign.pk])


def test_the_import_page_explains_the_columns_and_offers_an_example(client, manager, campaign):
    client.force_login(manager)

    response = client.get(import_url(campaign))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "指标代码" in html
    assert "units_sold" in html
    example = client.get(import_url(campaign) + "?example=csv")
    assert example["Content-Type"].startswith("text/csv")
    assert "attachment" in example["Content-Disposition"]
    # The example itself imports cleanly.
    result = run_import(csv_upload(example.content.decode("utf-8")), campaign, manager)
    assert result.ok, result.errors


def test_uploading_a_valid_file_redirects_to_the_campaign_with_the_counts(client, manager, campaign):
    client.force_login(manager)

    response = client.post(import_url(campaign), {"file": csv_upload(VALID_CSV)})

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:campaign_detail", args=[campaign.pk])
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Metric values imported: 4 created, 0 updated."
    ]
    assert MetricValue.objects.filter(campaign=campaign).count() == 4


def test_uploading_a_bad_file_shows_every_problem_with_row_and_column_and_saves_nothing(client, manager, campaign):
    client.force_login(manager)
    text = VALID_CSV + f"{DAY},units_sold,moon,5\n{DAY},units_sold,ecommerce,abc\n"

    response = client.post(import_url(campaign), {"file": csv_upload(text)})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported: the file has 2 problems." in html
    assert '<td class="text-nowrap">6</td><td class="text-nowrap">channel</td>' in html
    assert '<td class="text-nowrap">7</td><td class="text-nowrap">value</td>' in html
    assert MetricValue.objects.count() == 0


def test_uploading_nothing_asks_for_a_file(client, manager, campaign):
    client.force_login(manager)

    response = client.post(import_url(campaign), {})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_the_campaign_owner_may_import_into_their_campaign(client, owner, campaign):
    client.force_login(owner)

    response = client.post(import_url(campaign), {"file": csv_upload(VALID_CSV)})

    assert response.status_code == 302
    assert MetricValue.objects.filter(campaign=campaign).count() == 4


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE, Role.DEPARTMENT_LEAD, Role.VIEWER])
def test_other_roles_may_not_open_the_import_page_nor_import(client, make_user, campaign, role):
    client.force_login(make_user(role))

    assert client.get(import_url(campaign)).status_code == 403
    assert client.get(import_url(campaign) + "?example=csv").status_code == 403
    assert client.post(import_url(campaign), {"file": csv_upload(VALID_CSV)}).status_code == 403
    assert MetricValue.objects.count() == 0


def test_importing_into_a_missing_campaign_is_not_found(client, manager):
    client.force_login(manager)

    assert client.get(reverse("plans:metric_values_import", args=[999999])).status_code == 404
