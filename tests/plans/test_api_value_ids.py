"""A metric value's campaign or plan id beyond any row's id is bad input (400), not a 500."""

import pytest
from django.urls import reverse

from accounts.models import Role
from plans.models import MetricValue

pytestmark = pytest.mark.django_db

TOO_LARGE = 2**63  # one past the largest id a row can have


@pytest.mark.parametrize("field", ["campaign", "plan"])
def test_an_id_past_the_largest_is_refused_naming_the_field(client_as, field):
    value = {"metric": "units_sold", "date": "2026-06-01", "value": "10", field: TOO_LARGE}

    one = client_as(Role.MARKETING_MANAGER).post(reverse("api:metric-value-list"), value, format="json")
    bulk = client_as(Role.MARKETING_MANAGER).post(reverse("api:metric-value-bulk"), {"values": [value]}, format="json")

    assert one.status_code == 400
    assert field in one.json()
    assert bulk.status_code == 400
    assert field in bulk.json()["rows"]["1"]
    assert not MetricValue.objects.exists()


def test_the_largest_id_itself_is_read_as_an_unknown_campaign(client_as):
    value = {"metric": "units_sold", "date": "2026-06-01", "value": "10", "campaign": TOO_LARGE - 1}

    response = client_as(Role.MARKETING_MANAGER).post(reverse("api:metric-value-list"), value, format="json")

    assert response.status_code == 400
    assert "campaign" in response.json()
