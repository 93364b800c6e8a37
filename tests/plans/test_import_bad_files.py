"""Importing metric values from a damaged, malicious or bloated file: each is a file-level or
row-level message for the person who uploaded it, never a server error, and nothing is saved."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from plans import imports
from plans.imports import import_metric_values
from plans.models import MetricValue
from tests.factories import CampaignFactory
from tests.factories.spreadsheets import (
    BILLION_LAUGHS,
    SHEET,
    WORKBOOK,
    blank_rows_bomb,
    part,
    with_part,
    with_sheet_rows,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db

DAY = (timezone.localdate() - timedelta(days=3)).isoformat()
HEADER = ["date", "metric", "channel", "value"]
GOOD = workbook_bytes([HEADER, [DAY, "marketing_cost", "", 100]])


@pytest.fixture
def owner(make_user):
    return make_user(Role.STAFF, username="owner")


@pytest.fixture
def campaign(owner):
    today = timezone.localdate()
    return CampaignFactory(owner=owner, start_date=today - timedelta(days=30), end_date=today + timedelta(days=10))


def _import(content: bytes, campaign, user, name: str = "values.xlsx"):
    return import_metric_values(file=SimpleUploadedFile(name, content), campaign=campaign, user=user)


def _file_problem(result) -> str:
    assert MetricValue.objects.count() == 0
    assert [error.row for error in result.errors] == [None]
    return result.errors[0].message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (with_part(GOOD, SHEET, part(GOOD, SHEET)[:-40]), "it is damaged"),
        (with_part(GOOD, WORKBOOK, part(GOOD, WORKBOOK)[:-30]), "it is damaged"),
        (with_part(GOOD, SHEET, BILLION_LAUGHS), "declares its own XML entities"),
        (blank_rows_bomb(GOOD, unpacked_bytes=4 * 1024 * 1024), "mostly empty rows"),
    ],
    ids=["truncated sheet", "broken workbook.xml", "billion laughs", "blank rows bomb"],
)
def test_a_damaged_or_malicious_workbook_is_a_file_problem_and_nothing_is_saved(campaign, owner, content, message):
    assert message in _file_problem(_import(content, campaign, owner))


def test_a_workbook_unpacking_past_the_setting_is_refused_before_it_is_read(campaign, owner, settings):
    # A million blank cells: packed tightly enough to pass the ratio, too large to unpack.
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(1, 120_000))
    content = with_sheet_rows(GOOD, rows)
    settings.SPREADSHEET_MAX_UNPACKED_BYTES = 4 * 1024 * 1024

    assert "more than the 4 MB an import may hold" in _file_problem(_import(content, campaign, owner))


def test_a_sheet_of_wide_rows_is_refused_by_its_cell_count_before_it_is_read(campaign, owner, monkeypatch):
    # Rows of numbers 40 columns wide: unpacked and packed like data, but ten times the cells
    # of the import's four columns.
    monkeypatch.setattr(imports, "MAX_CELLS", 1000)
    row = b"".join(b"<c><v>%d</v></c>" % n for n in range(40))
    content = with_sheet_rows(GOOD, b"".join(b'<row r="%d">%s</row>' % (n, row) for n in range(1, 30)))

    assert "more than 1,000 cells" in _file_problem(_import(content, campaign, owner))


def test_blank_rows_count_against_the_row_limit(campaign, owner, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 50)
    header = b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % name.encode() for name in HEADER)
    rows = b'<row r="1">' + header + b'</row><row r="5000"><c r="A5000"/></row>'

    assert "more than 50 rows, counting empty ones" in _file_problem(
        _import(with_sheet_rows(GOOD, rows), campaign, owner)
    )


def test_a_nul_character_in_a_csv_cell_is_refused_naming_its_row(campaign, owner):
    # Past the first 4 KB, where the file is taken for text.
    rows = "".join(f"{DAY},marketing_cost,,{n}\n" for n in range(200))
    content = (",".join(HEADER) + "\n" + rows + f"{DAY},marketing_cost,,1\x00\n").encode()

    result = _import(content, campaign, owner, name="values.csv")

    assert "Row 202 holds a NUL character" in _file_problem(result)


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("99999999999999.9999", True),  # the largest DECIMAL(18, 4)
        ("99999999999999.99994", True),  # rounds down to it
        ("99999999999999.99995", False),  # rounds up to 10**14, which the column cannot hold
        ("100000000000000", False),
    ],
)
def test_a_cost_is_refused_when_it_rounds_past_what_the_column_holds(campaign, owner, value, accepted):
    content = f"date,metric,channel,value\n{DAY},marketing_cost,,{value}\n".encode()

    result = _import(content, campaign, owner, name="values.csv")

    if accepted:
        assert result.ok, result.errors
        # (Not read back: SQLite keeps decimals as floats, which cannot hold 18 digits.)
        assert MetricValue.objects.count() == 1
    else:
        assert [(error.row, error.column) for error in result.errors] == [(2, "value")]
        assert "too large" in result.errors[0].message
        assert MetricValue.objects.count() == 0


def test_the_api_and_the_page_refuse_the_same_cost(client, client_as, manager, campaign):
    api = client_as(manager).post(
        reverse("api:metric-value-list"),
        {"metric": "marketing_cost", "campaign": campaign.pk, "date": DAY, "value": "99999999999999.99995"},
        format="json",
    )
    client.force_login(manager)
    page = client.post(
        reverse("plans:metric_values_record", args=[campaign.pk]),
        {"date": DAY, "metric_marketing_cost": "99999999999999.99995"},
    )

    assert api.status_code == 400
    assert "value" in api.json()
    assert page.status_code == 200
    assert page.context["form"].errors
    assert MetricValue.objects.count() == 0


def test_the_import_page_shows_the_problem_of_a_damaged_workbook(client, manager, campaign):
    client.force_login(manager)
    content = with_part(GOOD, SHEET, part(GOOD, SHEET)[:-40])

    response = client.post(
        reverse("plans:metric_values_import", args=[campaign.pk]), {"file": SimpleUploadedFile("values.xlsx", content)}
    )

    assert response.status_code == 200
    assert "it is damaged" in response.content.decode()
    assert MetricValue.objects.count() == 0
