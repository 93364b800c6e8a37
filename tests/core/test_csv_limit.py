"""A list asked for as CSV without ?page= comes whole up to API_CSV_MAX_ROWS rows; a longer
one is a 400 that says to page it, so no answer builds an unbounded table in memory."""

from datetime import date, timedelta

import pytest

from accounts.models import Role
from tests.api import url
from tests.factories import CampaignFactory, MetricValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def values():
    campaign = CampaignFactory()
    for day in range(6):
        MetricValueFactory(campaign=campaign, date=date(2026, 6, 1) + timedelta(days=day))


def _csv_lines(response) -> list[str]:
    return response.content.decode("utf-8-sig").splitlines()


def test_a_list_of_exactly_the_limit_comes_whole_as_csv(client_as, values, settings):
    settings.API_CSV_MAX_ROWS = 6

    response = client_as(Role.VIEWER).get(url("metric-value-list"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="metric-value.csv"'
    assert len(_csv_lines(response)) == 1 + 6


def test_a_list_one_row_past_the_limit_is_a_400_that_says_to_page_it(client_as, values, settings):
    settings.API_CSV_MAX_ROWS = 5

    response = client_as(Role.VIEWER).get(url("metric-value-list"), {"format": "csv"})

    assert response.status_code == 400
    text = response.content.decode("utf-8-sig")
    assert "more than 5 rows" in text
    assert "?page=1&page_size=1000" in text
    assert "attachment" not in response.get("Content-Disposition", "")


def test_a_long_list_is_still_given_page_by_page_as_csv(client_as, values, settings):
    settings.API_CSV_MAX_ROWS = 5
    client = client_as(Role.VIEWER)

    first = client.get(url("metric-value-list"), {"format": "csv", "page": 1, "page_size": 4})
    second = client.get(url("metric-value-list"), {"format": "csv", "page": 2, "page_size": 4})

    assert (first.status_code, second.status_code) == (200, 200)
    assert len(_csv_lines(first)) - 1 + len(_csv_lines(second)) - 1 == 6


def test_json_lists_are_paged_as_before(client_as, values, settings):
    settings.API_CSV_MAX_ROWS = 5

    response = client_as(Role.VIEWER).get(url("metric-value-list"))

    assert response.status_code == 200
    assert response.json()["count"] == 6
