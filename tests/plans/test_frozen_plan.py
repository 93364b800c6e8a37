"""A closed plan is frozen everywhere: no campaign, goal, target, budget line or section is
added to it or changed in it, by the services, the pages or the API, and the refusal says why.
A campaign of a closed plan still moves on to its review and archive."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from plans import services
from plans.models import Campaign, CampaignStatus, PlanStatus, Target
from tasks import services as tasks_services
from tests.api import url
from tests.factories import AnnualPlanFactory, BudgetLineFactory, CampaignFactory, TargetFactory, metric

pytestmark = pytest.mark.django_db

CLOSED = "is closed, so it is frozen"


@pytest.fixture
def closed_plan():
    return AnnualPlanFactory(title="2026 plan", status=PlanStatus.CLOSED)


@pytest.fixture
def campaign(closed_plan):
    """A campaign created while the plan was open."""
    return CampaignFactory(plan=closed_plan, name="618 大促")


def goal_input(**fields) -> services.TargetInput:
    return services.TargetInput(
        **{"metric": metric("units_sold"), "category": "performance", "target_value": Decimal(1000), **fields}
    )


def campaign_form(owner, **fields) -> dict:
    return {
        "name": "Double 11",
        "type": "promotion",
        "owner": owner.pk,
        "start_date": "2026-11-01",
        "end_date": "2026-11-11",
        "budget": "500000",
        **fields,
    }


# The services --------------------------------------------------------------------------------


def test_no_campaign_is_created_in_a_closed_plan(closed_plan, manager):
    with pytest.raises(ValidationError) as error:
        tasks_services.campaign_create(
            plan=closed_plan,
            name="Double 11",
            type="promotion",
            owner=manager,
            start_date=date(2026, 11, 1),
            end_date=date(2026, 11, 11),
            by=manager,
        )

    assert CLOSED in error.value.message_dict["plan"][0]
    assert "2026 plan" in error.value.message_dict["plan"][0]
    assert not Campaign.objects.exists()


def test_no_goal_is_added_to_a_campaign_of_a_closed_plan(campaign):
    with pytest.raises(ValidationError, match=CLOSED):
        services.target_save(data=goal_input(), campaign=campaign)

    assert not Target.objects.exists()


def test_a_goal_of_a_closed_plan_is_neither_changed_nor_deleted(campaign):
    goal = TargetFactory(campaign=campaign, target_value=Decimal(1000))

    with pytest.raises(ValidationError, match=CLOSED):
        services.target_save(data=goal_input(target_value=Decimal(2000)), target=goal)
    with pytest.raises(ValidationError, match=CLOSED):
        services.target_delete(target=goal)

    goal.refresh_from_db()
    assert goal.target_value == Decimal(1000)


def test_a_campaign_of_a_closed_plan_is_not_changed(campaign):
    with pytest.raises(ValidationError, match=CLOSED):
        services.campaign_update(campaign=campaign, name="Renamed")

    campaign.refresh_from_db()
    assert campaign.name == "618 大促"


def test_no_campaign_moves_into_a_closed_plan(closed_plan):
    campaign = CampaignFactory(plan=AnnualPlanFactory(year=2027))

    with pytest.raises(ValidationError, match=CLOSED):
        services.campaign_update(campaign=campaign, plan=closed_plan)


def test_the_plans_own_parts_are_frozen_in_the_services_too(closed_plan):
    line = BudgetLineFactory(plan=closed_plan)

    for change in (
        lambda: services.plan_update(plan=closed_plan, title="Rewritten"),
        lambda: services.target_save(data=goal_input(), plan=closed_plan),
        lambda: services.budget_line_save(plan=closed_plan, category="channel", planned_amount=Decimal(1)),
        lambda: services.budget_line_delete(line=line),
        lambda: services.plan_item_save(plan=closed_plan, section="review", category="results", title="x"),
        lambda: services.quarter_focus_set(plan=closed_plan, quarter=1, theme="Launch"),
    ):
        with pytest.raises(ValidationError, match=CLOSED):
            change()


def test_a_campaign_of_a_closed_plan_still_moves_to_its_review(campaign, manager):
    campaign.status = CampaignStatus.EXECUTING
    campaign.save()

    services.campaign_set_status(campaign=campaign, status=CampaignStatus.REVIEWING, by=manager)

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.REVIEWING


def test_a_campaign_created_while_the_plan_was_open_freezes_when_it_closes(manager):
    plan = AnnualPlanFactory(status=PlanStatus.ACTIVE)

    campaign = tasks_services.campaign_create(
        plan=plan,
        name="Double 11",
        type="promotion",
        owner=manager,
        start_date=date(2026, 11, 1),
        end_date=date(2026, 11, 11),
        by=manager,
    )
    services.plan_set_status(plan=plan, status=PlanStatus.CLOSED, by=manager)

    with pytest.raises(ValidationError, match=CLOSED):
        services.target_save(data=goal_input(), campaign=campaign)


# The API -------------------------------------------------------------------------------------


def test_the_api_refuses_a_campaign_in_a_closed_plan_saying_why(client_as, closed_plan):
    response = client_as(Role.MARKETING_MANAGER).post(
        url("campaign-list"),
        {
            "plan": closed_plan.pk,
            "name": "Double 11",
            "type": "promotion",
            "start_date": "2026-11-01",
            "end_date": "2026-11-11",
        },
    )

    assert response.status_code == 400
    assert CLOSED in response.json()["plan"][0]
    assert not Campaign.objects.exists()


def test_the_api_refuses_a_goal_in_a_campaign_of_a_closed_plan(client_as, campaign):
    response = client_as(Role.MARKETING_MANAGER).post(
        url("target-list"),
        {"campaign": campaign.pk, "metric": "units_sold", "category": "performance", "target_value": "1000"},
    )

    assert response.status_code == 400
    assert CLOSED in response.json()["plan"][0]
    assert not Target.objects.exists()


def test_the_api_refuses_a_plan_target_of_a_closed_plan_saying_why(client_as, closed_plan):
    response = client_as("admin").post(
        url("target-list"),
        {"plan": closed_plan.pk, "metric": "units_sold", "category": "performance", "target_value": "1000"},
    )

    assert response.status_code == 403
    assert CLOSED in response.json()["detail"]
    assert not Target.objects.exists()


def test_the_api_refuses_to_change_a_campaign_of_a_closed_plan(client_as, campaign):
    response = client_as(Role.MARKETING_MANAGER).patch(url("campaign-detail", campaign.pk), {"name": "Renamed"})

    assert response.status_code == 400
    assert CLOSED in response.json()["plan"][0]


# The pages -----------------------------------------------------------------------------------


def test_the_page_refuses_a_campaign_in_a_closed_plan_saying_why(client, manager, closed_plan):
    client.force_login(manager)

    response = client.post(reverse("plans:campaign_create", args=[closed_plan.pk]), campaign_form(manager))

    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert not Campaign.objects.exists()


def test_the_new_campaign_page_of_a_closed_plan_warns_before_anything_is_typed(client, manager, closed_plan):
    client.force_login(manager)

    html = client.get(reverse("plans:campaign_create", args=[closed_plan.pk])).content.decode()

    assert 'id="frozen-warning"' in html
    assert CLOSED in html


def test_the_page_refuses_a_goal_in_a_campaign_of_a_closed_plan(client, manager, campaign):
    client.force_login(manager)

    response = client.post(
        reverse("plans:campaign_target_create", args=[campaign.pk]),
        {"metric": metric("units_sold").pk, "category": "performance", "target_value": "1000"},
    )

    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert not Target.objects.exists()


def test_a_closed_plans_pages_offer_no_way_to_add_campaigns_or_goals(client, manager, campaign):
    client.force_login(manager)

    plan_page = client.get(campaign.plan.get_absolute_url()).content.decode()
    campaign_page = client.get(campaign.get_absolute_url()).content.decode()

    assert reverse("plans:campaign_create", args=[campaign.plan.pk]) not in plan_page
    assert reverse("plans:campaign_target_create", args=[campaign.pk]) not in campaign_page
    assert reverse("plans:campaign_edit", args=[campaign.pk]) not in campaign_page
    assert 'id="frozen-note"' in plan_page
    assert 'id="frozen-note"' in campaign_page
