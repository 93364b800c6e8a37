"""The streamed exports: CSV with a byte-order mark and formula-safe cells, NDJSON, XLSX up to
its limit, gzip on request, bad filters a 400 naming them."""

import csv
import gzip
import io
import json
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from accounts.models import Role
from tests.api import url
from tests.factories import CampaignFactory, MetricValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    campaign = CampaignFactory(name='=HYPERLINK("http://evil.example")')
    for day in range(5):
        MetricValueFactory(campaign=campaign, date=date(2026, 6, 1) + timedelta(days=day))
    return campaign


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[dict]:
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_export_has_a_bom_a_header_and_every_row(client_as, campaign):
    response = client_as(Role.VIEWER).get(url("export-campaigns"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="campaigns.csv"'
    rows = csv_rows(response)
    assert [row["id"] for row in rows] == [str(campaign.pk)]
    # A name that Excel would run as a formula is text.
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil.example")'


def test_ndjson_export_is_one_json_object_a_line(client_as, campaign):
    response = client_as("token").get(url("export-metric-values"), {"format": "ndjson"})

    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = body(response).decode().splitlines()
    assert [json.loads(line)["date"] for line in lines] == [f"2026-06-0{day}" for day in range(1, 6)]


def test_exports_take_the_lists_filters(client_as, campaign):
    response = client_as(Role.VIEWER).get(
        url("export-metric-values"), {"format": "ndjson", "date_after": "2026-06-02", "date_before": "2026-06-03"}
    )

    assert [json.loads(line)["date"] for line in body(response).decode().splitlines()] == ["2026-06-02", "2026-06-03"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"campaign": "x"}, "campaign"),
        ({"date_after": "2026-13-01"}, "date"),
        ({"campaign": "١٢"}, "campaign"),
        ({"updated_after": "99999-01-01"}, "updated_after"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client_as, campaign, params, field):
    response = client_as(Role.VIEWER).get(url("export-metric-values"), params)

    assert response.status_code == 400
    assert any(key.startswith(field) for key in response.json())


def test_gzip_when_the_client_asks_for_it(client_as, campaign):
    client = client_as(Role.VIEWER)
    plain = body(client.get(url("export-metric-values")))

    response = client.get(url("export-metric-values"), HTTP_ACCEPT_ENCODING="br, gzip;q=0.8")

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(body(response)) == plain


def test_no_gzip_when_the_client_refuses_it(client_as, campaign):
    response = client_as(Role.VIEWER).get(url("export-metric-values"), HTTP_ACCEPT_ENCODING="gzip;q=0, identity")

    assert not response.has_header("Content-Encoding")


def test_xlsx_export_up_to_its_limit_keeps_formulas_as_text(client_as, campaign, settings):
    settings.API_EXPORT_XLSX_MAX_ROWS = 1

    response = client_as(Role.VIEWER).get(url("export-campaigns"), {"format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="campaigns.xlsx"'
    sheet = load_workbook(io.BytesIO(body(response))).active
    header = [cell.value for cell in sheet[1]]
    name = sheet.cell(row=2, column=header.index("name") + 1)
    assert (name.value, name.data_type, name.quotePrefix) == ('=HYPERLINK("http://evil.example")', "s", True)


def test_xlsx_export_one_row_past_its_limit_is_a_400_that_points_to_csv(client_as, campaign, settings):
    settings.API_EXPORT_XLSX_MAX_ROWS = 4

    response = client_as(Role.VIEWER).get(url("export-metric-values"), {"format": "xlsx"})

    assert response.status_code == 400
    assert "at most 4 rows" in response.json()["format"][0]
    assert "format=csv" in response.json()["format"][0]


def test_an_empty_export_still_has_its_header(client_as):
    response = client_as(Role.VIEWER).get(url("export-metric-values"))

    text = body(response).decode()
    assert text.startswith("\ufeffid,metric,plan,campaign")
    assert text.count("\n") == 1


def test_anonymous_requests_get_401(api_client):
    assert api_client.get(url("export-tasks")).status_code == 401


def test_a_token_may_not_post_to_an_export(client_as):
    assert client_as("token").post(url("export-tasks")).status_code in (403, 405)
