"""The thresholds API: read with filters and as CSV; marketing managers and a campaign's owner
create and change thresholds, through the same checks as the form, and nobody deletes one."""

import csv
import io
from decimal import Decimal

import pytest

from accounts.models import Role
from tests.api import results, url
from tests.factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CampaignFactory,
    TargetFactory,
    UserFactory,
    attainment_threshold,
)
from tracking.models import Threshold, ThresholdKind
from tracking.services import thresholds

pytestmark = pytest.mark.django_db

NOT_MANAGERS = [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER, "token"]


def snapshot(threshold: Threshold) -> dict:
    threshold.refresh_from_db()
    return {
        "percent": threshold.percent,
        "is_active": threshold.is_active,
        "recipients": list(threshold.recipients.values_list("pk", flat=True)),
    }


# Reading ----------------------------------------------------------------------------------


def test_the_threshold_list_filters_by_campaign_kind_metric_and_activity(client_as, campaign, goal):
    mine = attainment_threshold(goal)
    tasks = thresholds.threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)
    other = attainment_threshold(TargetFactory(), is_active=False)
    client = client_as(Role.VIEWER)

    def listed(**params):
        return {row["id"] for row in results(client.get(url("threshold-list"), params))}

    assert listed(campaign=campaign.pk) == {mine.pk, tasks.pk}
    assert listed(kind="tasks_overdue") == {tasks.pk}
    assert listed(is_active="false") == {other.pk}
    assert listed(metric="units_sold") == set()  # the metric is the target's, not the threshold's own


def test_thresholds_export_as_csv(client_as, goal):
    attainment_threshold(goal, recipients=[UserFactory(), UserFactory()])

    response = client_as(Role.VIEWER).get(url("threshold-list"), {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["kind"] == "attainment_below"
    assert len(rows[0]["recipients"].split(";")) == 2


# Writing ----------------------------------------------------------------------------------


def test_a_manager_creates_a_threshold_on_a_campaign_goal(client_as, campaign, goal):
    lead = UserFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("threshold-list"),
        {"kind": "attainment_below", "target": goal.pk, "percent": "80", "paced": True, "recipients": [lead.pk]},
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["campaign"] == campaign.pk
    assert body["rule"].startswith("Alert when Units sold is below 80% of the target, paced")
    threshold = Threshold.objects.get()
    assert list(threshold.recipients.all()) == [lead]
    assert threshold.created_by == client.user
    assert threshold.history.first().history_user == client.user


def test_the_campaign_owner_creates_a_threshold_on_their_campaign(client_as, owner, campaign):
    response = client_as(owner).post(
        url("threshold-list"), {"kind": "tasks_overdue", "campaign": campaign.pk, "min_count": 3}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["rule"] == "Alert when more than 3 tasks are overdue"


def test_a_benchmark_threshold_by_metric_and_channel_codes(client_as, campaign):
    response = client_as(Role.MARKETING_MANAGER).post(
        url("threshold-list"),
        {
            "kind": "benchmark_below",
            "campaign": campaign.pk,
            "metric": "conversion_rate",
            "channel": "online",
            "percent": "20",
            "benchmark_value": "3.0",
            "benchmark_source": "行业报告 2026",
        },
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["metric"], response.json()["channel"]) == ("conversion_rate", "online")
    assert "20% below the benchmark of 3 (行业报告 2026)" in response.json()["rule"]


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_other_roles_and_tokens_cannot_create_or_change_thresholds(client_as, campaign, goal, who):
    threshold = attainment_threshold(goal)
    before = snapshot(threshold)
    client = client_as(who)

    created = client.post(url("threshold-list"), {"kind": "tasks_overdue", "campaign": campaign.pk})
    changed = client.patch(url("threshold-detail", threshold.pk), {"percent": "50", "is_active": False})

    assert created.status_code == changed.status_code == 403
    assert Threshold.objects.count() == 1
    assert snapshot(threshold) == before


def test_the_owner_of_another_campaign_cannot_create_thresholds_here(client_as, make_user, campaign, goal):
    stranger = CampaignFactory(owner=make_user(Role.STAFF)).owner

    response = client_as(stranger).post(
        url("threshold-list"), {"kind": "attainment_below", "target": goal.pk, "percent": "80"}
    )

    assert response.status_code == 403
    assert not Threshold.objects.exists()


def test_plan_target_thresholds_are_for_managers(client_as, owner):
    plan = AnnualPlanFactory()
    target = TargetFactory(plan=plan, campaign=None)
    payload = {"kind": "attainment_below", "target": target.pk, "percent": "80"}

    refused = client_as(owner).post(url("threshold-list"), payload)
    created = client_as(Role.MARKETING_MANAGER).post(url("threshold-list"), payload)

    assert refused.status_code == 403
    assert created.status_code == 201
    assert (created.json()["plan"], created.json()["campaign"]) == (plan.pk, None)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "attainment_below", "percent": "80"}, "target"),
        ({"kind": "value_below", "window_days": 7}, "bound"),
        ({"kind": "value_above", "bound": "10"}, "window_days"),
        ({"kind": "benchmark_below", "percent": "20"}, "benchmark_value"),
        ({"kind": "attainment_below", "percent": "-5"}, "percent"),
        ({"kind": "sometimes"}, "kind"),
        ({"kind": "tasks_overdue", "metric": "no_such_metric"}, "metric"),
    ],
)
def test_a_threshold_that_cannot_be_checked_is_a_400_naming_the_field(client_as, campaign, payload, field):
    response = client_as(Role.MARKETING_MANAGER).post(url("threshold-list"), {"campaign": campaign.pk, **payload})

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Threshold.objects.exists()


def test_a_threshold_needs_a_scope_and_a_consistent_one(client_as, campaign):
    client = client_as(Role.MARKETING_MANAGER)

    no_scope = client.post(url("threshold-list"), {"kind": "tasks_overdue"})
    foreign_goal = client.post(
        url("threshold-list"),
        {"kind": "attainment_below", "campaign": campaign.pk, "target": TargetFactory().pk, "percent": "80"},
    )
    foreign_line = client.post(
        url("threshold-list"),
        {"kind": "cost_above_budget", "campaign": campaign.pk, "percent": "10", "budget_line": BudgetLineFactory().pk},
    )

    assert no_scope.status_code == foreign_goal.status_code == foreign_line.status_code == 400
    assert "target" in no_scope.json()
    assert "campaign" in foreign_goal.json()
    assert "budget_line" in foreign_line.json()
    assert not Threshold.objects.exists()


def test_the_owner_changes_and_switches_off_a_threshold_keeping_its_scope(client_as, owner, campaign, goal):
    threshold = attainment_threshold(goal)

    response = client_as(owner).patch(
        url("threshold-detail", threshold.pk),
        {"percent": "70", "paced": False, "is_active": False, "campaign": CampaignFactory().pk},
        format="json",
    )

    assert response.status_code == 200, response.json()
    threshold.refresh_from_db()
    assert (threshold.percent, threshold.paced, threshold.is_active) == (Decimal("70"), False, False)
    assert threshold.campaign == campaign
    assert response.json()["rule"] == "Alert when Units sold is below 70% of the target"
    assert threshold.history.count() == 2


def test_an_update_that_breaks_a_threshold_is_refused_and_changes_nothing(client_as, goal):
    threshold = attainment_threshold(goal)
    before = snapshot(threshold)

    response = client_as(Role.MARKETING_MANAGER).patch(
        url("threshold-detail", threshold.pk), {"percent": None}, format="json"
    )

    assert response.status_code == 400
    assert "percent" in response.json()
    assert snapshot(threshold) == before


def test_thresholds_are_not_deleted_through_the_api(client_as, goal):
    threshold = attainment_threshold(goal)

    response = client_as(Role.MARKETING_MANAGER).delete(url("threshold-detail", threshold.pk))

    assert response.status_code == 405
    assert Threshold.objects.filter(pk=threshold.pk).exists()
