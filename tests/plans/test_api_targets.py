"""The targets API: a target reads with its actual, attainment and pace, as JSON or CSV, and
filters by metric, channel, plan, campaign and category; marketing managers add and change
plan targets, with a quarterly split that adds up. Campaign goals: test_api_goals.py."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from plans.models import Target
from tests.api import NOT_MANAGERS, ids, url
from tests.factories import AnnualPlanFactory, CampaignFactory, MetricValueFactory, TargetFactory, channel, metric

pytestmark = pytest.mark.django_db


# Reading ----------------------------------------------------------------------------------


def test_a_target_shows_its_actual_and_attainment(client_as):
    campaign = CampaignFactory(start_date=date(2026, 6, 1), end_date=date(2026, 6, 30))
    target = TargetFactory(campaign=campaign, target_value=Decimal("50000"))
    MetricValueFactory(campaign=campaign, date=date(2026, 6, 1), value=Decimal("20000"))
    MetricValueFactory(campaign=campaign, date=date(2026, 6, 2), value=Decimal("10000"))
    MetricValueFactory(campaign=campaign, date=date(2026, 7, 1), value=Decimal("99999"))  # after the period
    MetricValueFactory(date=date(2026, 6, 1), value=Decimal("77777"))  # another campaign
    client = client_as(Role.VIEWER)

    row = client.get(url("target-detail", target.pk)).json()

    assert row["metric"] == "units_sold"
    assert row["campaign"] == campaign.pk
    assert row["actual"] == "30000.0000"
    assert row["attainment_rate"] == "0.6000"
    assert row["attainment_percent"] == "60.0"
    assert row["expected_to_date"] == "50000.0000"
    assert row["pace"] is None
    assert row["status"] == "off_track"


def test_a_running_target_shows_its_pace(client_as):
    today = timezone.localdate()
    plan = AnnualPlanFactory(year=today.year)
    # 20 days, 10 of them elapsed by the end of today: half the target is expected.
    target = TargetFactory(
        campaign=None,
        plan=plan,
        target_value=Decimal("1000"),
        period_start=today - timedelta(days=9),
        period_end=today + timedelta(days=10),
    )
    MetricValueFactory(campaign=None, plan=plan, date=today, value=Decimal("400"))
    client = client_as(Role.STAFF)

    row = client.get(url("target-detail", target.pk)).json()

    assert (row["actual"], row["expected_to_date"], row["pace"]) == ("400.0000", "500.0000", "0.8000")
    assert row["status"] == "at_risk"


def test_targets_as_csv_carry_the_attainment_columns(token_client):
    campaign = CampaignFactory()
    TargetFactory(campaign=campaign, target_value=Decimal("200"))
    MetricValueFactory(campaign=campaign, value=Decimal("50"))

    response = token_client.get(url("target-list"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert {key: rows[0][key] for key in ("metric", "actual", "attainment_rate", "attainment_percent", "status")} == {
        "metric": "units_sold",
        "actual": "50.0000",
        "attainment_rate": "0.2500",
        "attainment_percent": "25.0",
        "status": "off_track",
    }
    assert {"expected_to_date", "pace", "q1", "q4", "baseline"} <= set(rows[0])


def test_targets_filter_by_metric_id_or_code_and_by_channel_code(client_as):
    sales = TargetFactory(metric=metric("sales_revenue"), channel=channel("online"))
    units = TargetFactory(metric=metric("units_sold"))
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("target-list"), {"metric": "sales_revenue"})) == [sales.pk]
    assert ids(client.get(url("target-list"), {"metric": metric("units_sold").pk})) == [units.pk]
    assert ids(client.get(url("target-list"), {"channel": "online"})) == [sales.pk]


def test_targets_filter_by_plan_campaign_parent_and_category(client_as):
    plan = AnnualPlanFactory()
    plan_target = TargetFactory(campaign=None, plan=plan, category="brand", metric=metric("exposure"))
    goal = TargetFactory(campaign=CampaignFactory(plan=plan))
    subgoal = TargetFactory(campaign=goal.campaign, parent=goal, target_value=Decimal("30000"))
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("target-list"), {"plan": plan.pk})) == [plan_target.pk]
    assert ids(client.get(url("target-list"), {"campaign": goal.campaign.pk})) == [goal.pk, subgoal.pk]
    assert ids(client.get(url("target-list"), {"parent": goal.pk})) == [subgoal.pk]
    assert ids(client.get(url("target-list"), {"category": "brand"})) == [plan_target.pk]
    assert ids(client.get(url("target-list"), {"top_level": "true"})) == [plan_target.pk, goal.pk]


def test_targets_filter_by_updated_after(client_as):
    old, new = TargetFactory(), TargetFactory()
    Target.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    client = client_as(Role.VIEWER)

    response = client.get(url("target-list"), {"updated_after": (timezone.now() - timedelta(days=1)).isoformat()})

    assert ids(response) == [new.pk]


# Plan targets -----------------------------------------------------------------------------


def test_a_manager_adds_a_plan_target_split_by_quarter(client_as):
    plan = AnnualPlanFactory(year=2026)
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("target-list"),
        {
            "plan": plan.pk,
            "metric": "sales_revenue",
            "category": "performance",
            "baseline": "800",
            "target_value": "1000",
            "q1": "100",
            "q2": "200",
            "q3": "300",
            "q4": "400",
        },
    )

    assert response.status_code == 201, response.json()
    target = Target.objects.get()
    assert (target.plan, target.metric.code, target.target_value) == (plan, "sales_revenue", Decimal("1000"))
    assert (target.period_start, target.period_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert response.json()["status"] == "no_data"


def test_a_quarterly_split_that_does_not_add_up_is_refused_naming_q1(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("target-list"),
        {"plan": plan.pk, "metric": "units_sold", "category": "performance", "target_value": "1000", "q1": "100"},
    )

    assert response.status_code == 400
    assert "q1" in response.json()
    assert Target.objects.count() == 0


def test_a_target_of_an_unknown_metric_is_refused_naming_the_metric(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("target-list"), {"plan": plan.pk, "metric": "happiness", "category": "brand", "target_value": "10"}
    )

    assert response.status_code == 400
    assert "metric" in response.json()
    assert Target.objects.count() == 0


def test_a_target_of_neither_plan_nor_campaign_is_refused_naming_the_plan(client_as):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("target-list"), {"metric": "units_sold", "category": "performance", "target_value": "1"})

    assert response.status_code == 400
    assert "plan" in response.json()
    assert Target.objects.count() == 0


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_add_plan_targets(client_as, who):
    plan = AnnualPlanFactory()
    client = client_as(who)

    response = client.post(
        url("target-list"), {"plan": plan.pk, "metric": "units_sold", "category": "performance", "target_value": "10"}
    )

    assert response.status_code == 403
    assert Target.objects.count() == 0


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_change_or_delete_plan_targets(client_as, who):
    target = TargetFactory(campaign=None, plan=AnnualPlanFactory(), target_value=Decimal("100"))
    client = client_as(who)

    changed = client.patch(url("target-detail", target.pk), {"target_value": "1"})
    deleted = client.delete(url("target-detail", target.pk))

    assert (changed.status_code, deleted.status_code) == (403, 403)
    target.refresh_from_db()
    assert target.target_value == Decimal("100")
