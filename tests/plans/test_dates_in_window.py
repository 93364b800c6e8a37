"""Dates far out of range (0001-01-01, 9999-12-31) are refused by the pages, the API and the
imports alike, at the window's edges; a goal's period lies within its campaign's dates; and a
campaign page whose goal was stored spanning millennia still answers quickly."""

import time
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from plans.imports import import_metric_values
from plans.models import Campaign, MetricValue, Target
from tests.api import url
from tests.factories import AnnualPlanFactory, CampaignFactory, TargetFactory

pytestmark = pytest.mark.django_db

OUTSIDE = ["1999-12-31", "2101-01-01", "0001-01-01", "9999-12-31"]


def _campaign(plan, start: str, end: str) -> dict:
    return {"plan": plan.pk, "name": "618", "type": "promotion", "start_date": start, "end_date": end, "budget": "0"}


@pytest.mark.parametrize(("start", "end"), [("2000-01-01", "2000-01-31"), ("2100-12-01", "2100-12-31")])
def test_the_api_accepts_a_campaign_on_the_windows_edges(client_as, start, end):
    response = client_as(Role.MARKETING_MANAGER).post(url("campaign-list"), _campaign(AnnualPlanFactory(), start, end))

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("day", OUTSIDE)
@pytest.mark.parametrize("field", ["start_date", "end_date"])
def test_the_api_refuses_a_campaign_date_outside_the_window_naming_the_field(client_as, field, day):
    data = _campaign(AnnualPlanFactory(), "2026-06-01", "2026-06-30")
    data[field] = day
    if field == "start_date":
        data["end_date"] = max(day, "2026-06-30")

    response = client_as(Role.MARKETING_MANAGER).post(url("campaign-list"), data)

    assert response.status_code == 400
    assert field in response.json()
    assert "2000-01-01 to 2100-12-31" in response.json()[field][0]
    assert not Campaign.objects.exists()


def test_the_campaign_form_refuses_a_date_outside_the_window(client, manager):
    campaign = CampaignFactory(owner=manager)
    client.force_login(manager)

    response = client.post(
        reverse("plans:campaign_edit", args=[campaign.pk]),
        {"name": campaign.name, "type": campaign.type, "owner": manager.pk, "budget": "0"}
        | {"start_date": "2026-06-01", "end_date": "9999-12-31"},
    )

    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    campaign.refresh_from_db()
    assert campaign.end_date == date(2026, 6, 30)


@pytest.mark.parametrize(
    ("start", "end", "refused"),
    [
        ("2026-06-01", "2026-06-30", None),  # exactly the campaign's dates
        ("2026-05-31", "2026-06-30", "period_start"),  # a day before it starts
        ("2026-06-01", "2026-07-01", "period_end"),  # a day after it ends
        ("0001-01-01", "9999-12-31", "period_start"),
    ],
)
def test_a_goal_period_lies_within_its_campaigns_dates(client_as, start, end, refused):
    campaign = CampaignFactory(start_date=date(2026, 6, 1), end_date=date(2026, 6, 30))
    data = {"campaign": campaign.pk, "metric": "units_sold", "category": "performance", "target_value": "100"}

    response = client_as(Role.MARKETING_MANAGER).post(
        url("target-list"), data | {"period_start": start, "period_end": end}
    )

    if refused is None:
        assert response.status_code == 201, response.json()
    else:
        assert response.status_code == 400
        assert refused in response.json()
        assert not Target.objects.exists()


@pytest.mark.parametrize("day", ["1999-12-31", "0001-01-01"])
def test_the_api_refuses_a_value_dated_outside_the_window(client_as, day):
    campaign = CampaignFactory()

    response = client_as("admin").post(
        url("metric-value-list"),
        {"metric": "units_sold", "campaign": campaign.pk, "date": day, "value": "5"},
        format="json",
    )

    assert response.status_code == 400
    assert "date" in response.json()
    assert not MetricValue.objects.exists()


def test_the_metric_values_import_refuses_a_row_dated_outside_the_window(make_user):
    owner = make_user(Role.STAFF)
    campaign = CampaignFactory(owner=owner)
    yesterday = timezone.localdate() - timedelta(days=1)
    content = f"date,metric,value\n{yesterday},units_sold,5\n0001-01-01,units_sold,5\n1999-12-31,units_sold,5\n"

    result = import_metric_values(
        file=SimpleUploadedFile("values.csv", content.encode()), campaign=campaign, user=owner
    )

    assert [(error.row, error.column) for error in result.errors] == [(3, "date"), (4, "date")]
    assert "2000-01-01 to 2100-12-31" in result.errors[0].message
    assert not MetricValue.objects.exists()


def test_a_campaign_page_whose_goal_was_stored_spanning_millennia_answers_quickly(client, manager):
    campaign = CampaignFactory()
    TargetFactory(campaign=campaign, period_start=date(1, 1, 1), period_end=date(9999, 12, 31))
    client.force_login(manager)
    started = time.monotonic()

    response = client.get(reverse("plans:campaign_detail", args=[campaign.pk]))

    assert response.status_code == 200
    assert time.monotonic() - started < 5
    assert len(response.content) < 3_000_000
