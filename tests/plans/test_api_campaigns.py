"""The campaigns API: marketing managers create campaigns; the owner and managers change them
and move them one step at a time (administrators may force a step); campaigns filter by
plan, status, type, owner and dates."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from plans.models import Campaign, CampaignStatus
from tests.api import NOT_MANAGERS, ids, url
from tests.factories import AnnualPlanFactory, CampaignFactory, UserFactory, ready_to_start

pytestmark = pytest.mark.django_db


def campaign_input(plan, **fields):
    return {
        "plan": plan.pk,
        "name": "618 promotion",
        "type": "promotion",
        "start_date": "2026-06-01",
        "end_date": "2026-06-18",
        "budget": "300000",
        **fields,
    }


def test_a_manager_creates_a_campaign_in_planning_that_they_own(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("campaign-list"), campaign_input(plan))

    assert response.status_code == 201, response.json()
    campaign = Campaign.objects.get()
    assert (campaign.name, campaign.owner, campaign.status) == ("618 promotion", client.user, CampaignStatus.PLANNING)
    assert response.json()["owner_name"] == client.user.display_name


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_create_campaigns(client_as, who):
    plan = AnnualPlanFactory()
    client = client_as(who)

    response = client.post(url("campaign-list"), campaign_input(plan))

    assert response.status_code == 403
    assert Campaign.objects.count() == 0


def test_a_campaign_ending_before_it_starts_is_refused_naming_the_end_date(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("campaign-list"), campaign_input(plan, end_date="2026-05-01"))

    assert response.status_code == 400
    assert "end_date" in response.json()
    assert Campaign.objects.count() == 0


def test_the_owner_of_a_campaign_changes_it(client_as, make_user):
    owner = make_user(Role.STAFF)
    campaign = CampaignFactory(owner=owner, name="Launch")
    client = client_as(owner)

    response = client.patch(url("campaign-detail", campaign.pk), {"name": "Spring launch", "status": "archived"})

    assert response.status_code == 200, response.json()
    campaign.refresh_from_db()
    assert (campaign.name, campaign.status) == ("Spring launch", CampaignStatus.PLANNING)


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_people_other_than_the_owner_and_managers_cannot_change_a_campaign(client_as, who):
    campaign = CampaignFactory(name="Launch")
    client = client_as(who)

    response = client.patch(url("campaign-detail", campaign.pk), {"name": "Hijacked"})

    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.name == "Launch"


def test_the_owner_moves_a_campaign_forward_one_step(client_as, make_user):
    owner = make_user(Role.STAFF)
    campaign = ready_to_start(CampaignFactory(owner=owner))
    client = client_as(owner)

    response = client.post(url("campaign-status", campaign.pk), {"status": "executing"})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "executing"
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.EXECUTING


def test_a_campaign_cannot_skip_a_step_and_the_error_names_the_status(client_as):
    campaign = CampaignFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("campaign-status", campaign.pk), {"status": "archived"})

    assert response.status_code == 400
    assert "status" in response.json()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PLANNING


def test_an_administrator_forces_a_campaign_back_to_planning(client_as):
    campaign = CampaignFactory(status=CampaignStatus.REVIEWING)
    client = client_as("admin")

    response = client.post(url("campaign-status", campaign.pk), {"status": "planning", "force": True})

    assert response.status_code == 200, response.json()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PLANNING


def test_only_administrators_may_force_a_campaign_status(client_as):
    campaign = CampaignFactory(status=CampaignStatus.REVIEWING)
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("campaign-status", campaign.pk), {"status": "planning", "force": True})

    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.REVIEWING


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_people_other_than_the_owner_and_managers_cannot_move_a_campaign(client_as, who):
    campaign = CampaignFactory()
    client = client_as(who)

    response = client.post(url("campaign-status", campaign.pk), {"status": "executing"})

    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PLANNING


def test_campaigns_filter_by_plan_status_type_and_owner(client_as):
    owner = UserFactory()
    plan = AnnualPlanFactory()
    launch = CampaignFactory(plan=plan, type="launch", owner=owner)
    promotion = CampaignFactory(plan=plan, type="promotion", status=CampaignStatus.EXECUTING)
    elsewhere = CampaignFactory(type="brand")
    client = client_as(Role.DEPARTMENT_LEAD)

    assert ids(client.get(url("campaign-list"), {"plan": plan.pk})) == [launch.pk, promotion.pk]
    assert ids(client.get(url("campaign-list"), {"status": "executing"})) == [promotion.pk]
    assert ids(client.get(url("campaign-list"), {"type": "brand"})) == [elsewhere.pk]
    assert ids(client.get(url("campaign-list"), {"owner": owner.pk})) == [launch.pk]


def test_campaigns_filter_by_dates_and_updated_after(client_as):
    spring = CampaignFactory(start_date=date(2026, 3, 1), end_date=date(2026, 3, 31))
    summer = CampaignFactory(start_date=date(2026, 6, 1), end_date=date(2026, 6, 18))
    Campaign.objects.filter(pk=spring.pk).update(updated_at=timezone.now() - timedelta(days=7))
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("campaign-list"), {"start_date_after": "2026-05-01"})) == [summer.pk]
    assert ids(client.get(url("campaign-list"), {"end_date_before": "2026-03-31"})) == [spring.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(client.get(url("campaign-list"), {"updated_after": since})) == [summer.pk]
