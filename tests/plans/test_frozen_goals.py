"""Once a plan is approved or active, and once a campaign is executing, its targets, goals,
sub-goals, budget and budget lines are no longer edited directly, in the services, the pages or
the API: the refusal points to an adjustment. Drafts and planning campaigns edit freely; an
administrator's override is possible and recorded as such."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from plans import services
from plans.models import BudgetLine, Campaign, CampaignStatus, PlanStatus, Target
from tests.api import url
from tests.factories import AnnualPlanFactory, BudgetLineFactory, CampaignFactory, TargetFactory, goal_input

pytestmark = pytest.mark.django_db

ADJUST = "Request an adjustment instead"


@pytest.fixture
def executing():
    return CampaignFactory(status=CampaignStatus.EXECUTING, budget=Decimal("300000"))


@pytest.mark.parametrize("status", [CampaignStatus.EXECUTING, CampaignStatus.REVIEWING])
def test_a_running_campaigns_goals_and_budget_are_refused_with_a_pointer_to_an_adjustment(status):
    campaign = CampaignFactory(status=status)
    goal = TargetFactory(campaign=campaign)

    for change in (
        lambda: services.target_save(data=goal_input("60000"), target=goal),
        lambda: services.target_save(data=goal_input("100"), campaign=campaign),
        lambda: services.target_save(data=goal_input("100"), parent=goal),
        lambda: services.target_delete(target=goal),
        lambda: services.campaign_update(campaign=campaign, budget=Decimal("500000")),
    ):
        with pytest.raises(ValidationError, match=ADJUST):
            change()
    assert Target.objects.get(pk=goal.pk).target_value == Decimal("50000")
    assert Campaign.objects.get(pk=campaign.pk).budget == Decimal("300000")


def test_a_running_campaigns_other_fields_still_change(executing):
    services.campaign_update(campaign=executing, name="Renamed", budget=Decimal("300000"))
    assert Campaign.objects.get(pk=executing.pk).name == "Renamed"


def test_a_planning_campaign_and_a_draft_plan_edit_freely():
    campaign = CampaignFactory(plan=AnnualPlanFactory(status=PlanStatus.ACTIVE))
    goal = TargetFactory(campaign=campaign)
    services.target_save(data=goal_input("60000"), target=goal)
    services.campaign_update(campaign=campaign, budget=Decimal("1"))
    draft = AnnualPlanFactory(status=PlanStatus.DRAFT)
    services.budget_line_save(plan=draft, category="channel", planned_amount=Decimal("5"))
    assert Target.objects.get(pk=goal.pk).target_value == Decimal("60000")


@pytest.mark.parametrize("status", [PlanStatus.APPROVED, PlanStatus.ACTIVE])
def test_an_approved_plans_targets_budget_and_budget_lines_are_refused(status):
    plan = AnnualPlanFactory(status=status, budget=Decimal("1000"))
    line = BudgetLineFactory(plan=plan)
    target = TargetFactory(plan=plan, campaign=None)

    for change in (
        lambda: services.target_save(data=goal_input("1"), target=target),
        lambda: services.target_save(data=goal_input("1"), plan=plan),
        lambda: services.budget_line_save(plan=plan, line=line, category="channel", planned_amount=Decimal("1")),
        lambda: services.budget_line_save(plan=plan, category="channel", planned_amount=Decimal("1")),
        lambda: services.budget_line_delete(line=line),
        lambda: services.plan_update(plan=plan, budget=Decimal("2000")),
    ):
        with pytest.raises(ValidationError, match=ADJUST):
            change()
    plan.refresh_from_db()
    services.plan_update(plan=plan, title="Retitled")  # not a target nor the budget


def test_an_administrators_override_is_kept_in_the_history(executing, admin_user, manager):
    assert services.FrozenOverride.administrator(manager) is None
    override = services.FrozenOverride.administrator(admin_user)

    services.campaign_update(campaign=executing, budget=Decimal("400000"), override=override)

    record = executing.history.first()
    assert record.budget == Decimal("400000")
    assert record.history_change_reason == "Administrator override"
    assert record.history_user == admin_user
    assert Campaign.objects.get(pk=executing.pk).original_budget is None  # not an adjustment


def test_the_campaign_page_refuses_a_budget_change_and_says_how(client, manager, executing):
    client.force_login(manager)
    response = client.post(
        reverse("plans:campaign_edit", args=[executing.pk]),
        {
            "name": executing.name,
            "type": executing.type,
            "owner": executing.owner_id,
            "start_date": "2026-06-01",
            "end_date": "2026-06-30",
            "budget": "500000",
        },
    )
    assert response.status_code == 200
    assert ADJUST in response.content.decode()
    assert Campaign.objects.get(pk=executing.pk).budget == Decimal("300000")


def test_the_api_refuses_a_budget_change_to_a_manager_and_lets_an_administrator_override(client_as, executing):
    refused = client_as(Role.MARKETING_MANAGER).patch(url("campaign-detail", executing.pk), {"budget": "500000"})
    assert refused.status_code == 400
    assert ADJUST in refused.json()["budget"][0]

    allowed = client_as("admin").patch(url("campaign-detail", executing.pk), {"budget": "500000"})
    assert allowed.status_code == 200
    assert executing.history.first().history_change_reason == "Administrator override"


def test_the_api_refuses_a_budget_line_of_an_active_plan(client_as):
    line = BudgetLineFactory(plan=AnnualPlanFactory(status=PlanStatus.ACTIVE))
    response = client_as(Role.MARKETING_MANAGER).patch(url("budget-line-detail", line.pk), {"planned_amount": "1"})
    assert response.status_code == 400
    assert ADJUST in str(response.json())
    assert BudgetLine.objects.get(pk=line.pk).planned_amount == Decimal("100000")


def test_the_minor_adjustment_threshold_is_set_on_the_plan_and_bounded(client_as):
    plan = AnnualPlanFactory()
    assert plan.adjustment_threshold == Decimal("5")
    client = client_as(Role.MARKETING_MANAGER)
    assert client.patch(url("plan-detail", plan.pk), {"adjustment_threshold": "10"}).status_code == 200
    refused = client.patch(url("plan-detail", plan.pk), {"adjustment_threshold": "100.01"})
    assert refused.status_code == 400
    assert "adjustment_threshold" in refused.json()
