"""Campaign goals and their sub-goals through the targets API: the campaign's owner and
marketing managers add, change and delete them; sub-goals may not add up to more than
their goal."""

from decimal import Decimal

import pytest

from accounts.models import Role
from plans.models import Target
from tests.api import NOT_MANAGERS, url
from tests.factories import CampaignFactory, MetricValueFactory, TargetFactory, channel

pytestmark = pytest.mark.django_db


def test_a_campaign_owner_adds_a_goal_and_a_sub_goal_to_their_campaign(client_as, make_user):
    owner = make_user(Role.STAFF)
    campaign = CampaignFactory(owner=owner)
    client = client_as(owner)

    goal = client.post(
        url("target-list"),
        {"campaign": campaign.pk, "metric": "units_sold", "category": "performance", "target_value": "50000"},
    )
    subgoal = client.post(
        url("target-list"),
        {
            "parent": goal.json()["id"],
            "metric": "units_sold",
            "category": "performance",
            "channel": "online",
            "target_value": "30000",
        },
    )

    assert (goal.status_code, subgoal.status_code) == (201, 201), subgoal.json()
    assert subgoal.json()["campaign"] == campaign.pk
    assert subgoal.json()["channel"] == "online"
    assert Target.objects.get(pk=subgoal.json()["id"]).parent_id == goal.json()["id"]


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_people_other_than_the_owner_and_managers_cannot_add_campaign_goals(client_as, who):
    goal = TargetFactory()
    client = client_as(who)

    response = client.post(
        url("target-list"),
        {"parent": goal.pk, "metric": "units_sold", "category": "performance", "target_value": "100"},
    )

    assert response.status_code == 403
    assert Target.objects.count() == 1


def test_sub_goals_adding_up_to_more_than_their_goal_are_refused_naming_the_target_value(client_as):
    goal = TargetFactory(target_value=Decimal("50000"))
    TargetFactory(campaign=goal.campaign, parent=goal, target_value=Decimal("30000"), channel=channel("online"))
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("target-list"),
        {
            "parent": goal.pk,
            "metric": "units_sold",
            "category": "performance",
            "channel": "offline",
            "target_value": "30000",
        },
    )

    assert response.status_code == 400
    assert "target_value" in response.json()
    assert Target.objects.count() == 2


def test_a_manager_changes_a_target_and_sees_its_new_attainment(client_as):
    campaign = CampaignFactory()
    target = TargetFactory(campaign=campaign, target_value=Decimal("200"))
    MetricValueFactory(campaign=campaign, value=Decimal("150"))
    client = client_as(Role.MARKETING_MANAGER)

    response = client.patch(url("target-detail", target.pk), {"target_value": "100"})

    assert response.status_code == 200, response.json()
    assert (response.json()["attainment_percent"], response.json()["status"]) == ("150.0", "on_track")
    target.refresh_from_db()
    assert target.target_value == Decimal("100")


def test_a_manager_deletes_a_goal_with_its_sub_goals(client_as):
    goal = TargetFactory()
    TargetFactory(campaign=goal.campaign, parent=goal, target_value=Decimal("1000"))
    client = client_as(Role.MARKETING_MANAGER)

    response = client.delete(url("target-detail", goal.pk))

    assert response.status_code == 204
    assert Target.objects.count() == 0
