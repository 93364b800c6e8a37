"""A list asked for as CSV is paged exactly like JSON (no ?page= is the first page), its next
page named in the Link header: no answer builds an unbounded table in memory. Whole tables
come from the streamed exports (tests/core/export/)."""

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


def test_a_csv_list_without_page_is_its_first_page(client_as, values):
    response = client_as(Role.VIEWER).get(url("metric-value-list"), {"format": "csv", "page_size": 5})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="metric-value.csv"'
    assert len(_csv_lines(response)) == 1 + 5
    assert response["X-Total-Count"] == "6"
    assert 'rel="next"' in response["Link"]
    assert "page=2" in response["Link"]


def test_the_last_csv_page_names_no_next_page(client_as, values):
    client = client_as(Role.VIEWER)

    first = client.get(url("metric-value-list"), {"format": "csv", "page": 1, "page_size": 4})
    second = client.get(url("metric-value-list"), {"format": "csv", "page": 2, "page_size": 4})

    assert (first.status_code, second.status_code) == (200, 200)
    assert len(_csv_lines(first)) - 1 + len(_csv_lines(second)) - 1 == 6
    assert 'rel="next"' not in second["Link"]
    assert 'rel="prev"' in second["Link"]


def test_json_lists_are_paged_as_before(client_as, values):
    response = client_as(Role.VIEWER).get(url("metric-value-list"), {"page_size": 5})

    assert response.status_code == 200
    assert response.json()["count"] == 6
    assert not response.has_header("Link")
