"""A token scoped to one plan reads only that plan's rows, in lists and details, on every
endpoint that serves plan data (accounts.api.scope); reference data stays readable and an
endpoint that does not filter by plan is refused."""

import pytest

from accounts.models import Role
from accounts.services import api_token_create
from plans.models import AnnualPlan
from tests.api import ids, url
from tests.factories import (
    AnnualPlanFactory,
    CampaignFactory,
    MetricValueFactory,
    TargetFactory,
    TaskFactory,
    attainment_threshold,
    open_alert,
    token_client,
)
from tracking.models import Issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_plans(make_user):
    """Two plans, each with a campaign, a goal, a value, a task, an alert and an issue."""
    rows = {}
    for year in (2026, 2027):
        plan = AnnualPlanFactory(year=year)
        campaign = CampaignFactory(plan=plan)
        goal = TargetFactory(campaign=campaign)
        rows[year] = {
            "plan": plan.pk,
            "campaign": campaign.pk,
            "target": goal.pk,
            "metric-value": MetricValueFactory(campaign=campaign).pk,
            "task": TaskFactory(stage__campaign=campaign).pk,
            "alert": open_alert(attainment_threshold(goal)).pk,
            "issue": Issue.objects.create(
                campaign=campaign, description="物流延迟", occurred_at=campaign.created_at
            ).pk,
        }
    return rows


@pytest.fixture
def scoped(make_user, two_plans):
    """A client with a manager's token scoped to the 2026 plan."""
    manager = make_user(Role.MARKETING_MANAGER)
    _, key = api_token_create(name="Sales 2026", user=manager, scope=AnnualPlan.objects.get(pk=two_plans[2026]["plan"]))
    return token_client(key)


ENDPOINTS = ["plan", "campaign", "target", "metric-value", "task", "alert", "issue"]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_scoped_token_lists_only_its_plans_rows(scoped, two_plans, name):
    assert ids(scoped.get(url(f"{name}-list"))) == [two_plans[2026][name]]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_scoped_token_reads_its_plans_row_and_not_another_plans(scoped, two_plans, name):
    assert scoped.get(url(f"{name}-detail", two_plans[2026][name])).status_code == 200
    assert scoped.get(url(f"{name}-detail", two_plans[2027][name])).status_code == 404


@pytest.mark.parametrize("name", ENDPOINTS)
def test_an_unscoped_token_reads_every_plan(make_user, two_plans, name):
    _, key = api_token_create(name="Everything", user=make_user(Role.MARKETING_MANAGER))

    assert ids(token_client(key).get(url(f"{name}-list"))) == sorted(rows[name] for rows in two_plans.values())


def test_a_scoped_token_reads_reference_data(scoped):
    assert scoped.get(url("metric-list")).status_code == 200
    assert scoped.get(url("channel-list")).status_code == 200
    assert scoped.get(url("department-list")).status_code == 200


def test_a_scoped_token_is_refused_an_endpoint_that_does_not_filter_by_plan(scoped):
    response = scoped.get(url("notification-list"))

    assert response.status_code == 403
    assert "limited to one plan" in response.json()["detail"]


def test_a_plan_target_belongs_to_its_plan_too(scoped, two_plans):
    plan_target = TargetFactory(campaign=None, plan=AnnualPlan.objects.get(pk=two_plans[2026]["plan"]))

    assert plan_target.pk in ids(scoped.get(url("target-list")))


EXPORTED = {
    "plan": "plans",
    "campaign": "campaigns",
    "target": "targets",
    "metric-value": "metric-values",
    "task": "tasks",
}


@pytest.mark.parametrize("name", list(EXPORTED))
def test_a_scoped_token_exports_only_its_plans_rows(scoped, two_plans, name):
    import json

    response = scoped.get(url(f"export-{EXPORTED[name]}"), {"format": "ndjson"})

    assert response.status_code == 200
    rows = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines() if line]
    assert [row["id"] for row in rows] == [two_plans[2026][name]]


def test_a_scoped_token_reads_the_facts_of_its_plans_targets_only(scoped, two_plans):
    response = scoped.get(url("facts-targets"), {"grain": "week"})

    assert response.status_code == 200
    assert {row["target"] for row in response.json()["results"]} == {two_plans[2026]["target"]}
