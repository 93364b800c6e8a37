"""The campaign pages: marketing managers create campaigns; the owner, manager or not, edits
one and moves it forward (never back); goals get sub-goals that stay within them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from plans.models import Campaign
from tests.factories import CampaignFactory, TargetFactory, channel, metric, ready_to_start
from tests.plans.pages import login

pytestmark = pytest.mark.django_db


def test_a_campaign_is_created_by_a_manager_and_refused_to_staff(client, make_user, manager, plan):
    login(client, make_user, Role.STAFF)
    data = {
        "name": "618 大促",
        "type": "promotion",
        "owner": manager.pk,
        "start_date": "2026-06-01",
        "end_date": "2026-06-18",
        "budget": "500000",
    }
    assert client.post(reverse("plans:campaign_create", args=[plan.pk]), data).status_code == 403
    assert not Campaign.objects.exists()

    client.force_login(manager)
    response = client.post(reverse("plans:campaign_create", args=[plan.pk]), data)

    campaign = Campaign.objects.get()
    assert response["Location"] == campaign.get_absolute_url()


def test_a_campaign_ending_before_it_starts_is_refused_naming_the_field(client, manager, plan):
    client.force_login(manager)

    response = client.post(
        reverse("plans:campaign_create", args=[plan.pk]),
        {
            "name": "x",
            "type": "promotion",
            "owner": manager.pk,
            "start_date": "2026-06-18",
            "end_date": "2026-06-01",
            "budget": "1",
        },
    )

    assert response.status_code == 200
    assert not Campaign.objects.exists()
    assert "is-invalid" in response.content.decode() or "alert-danger" in response.content.decode()


def test_the_campaign_owner_who_is_not_a_manager_edits_it_and_moves_it_forward(client, make_user, plan):
    owner = make_user(Role.STAFF, username="owner")
    campaign = ready_to_start(CampaignFactory(plan=plan, owner=owner))
    client.force_login(owner)

    response = client.post(reverse("plans:campaign_status", args=[campaign.pk]), {"status": "executing"})

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "executing"


def test_a_campaign_cannot_move_backwards_from_the_page(client, manager, campaign):
    campaign.status = "reviewing"
    campaign.save()
    client.force_login(manager)

    client.post(reverse("plans:campaign_status", args=[campaign.pk]), {"status": "executing"}, follow=True)

    campaign.refresh_from_db()
    assert campaign.status == "reviewing"


def test_a_sub_goal_is_added_under_a_campaign_goal(client, manager, campaign):
    goal = TargetFactory(campaign=campaign, metric=metric("units_sold"), target_value=Decimal(50000))
    client.force_login(manager)

    response = client.post(
        reverse("plans:subgoal_create", args=[goal.pk]),
        {
            "metric": goal.metric_id,
            "category": "performance",
            "channel": channel("online").pk,
            "target_value": "30000",
            "sort_order": 0,
        },
    )

    assert response.status_code == 302
    assert goal.children.get().channel.code == "online"
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert "Sub-goals add up to 30,000; 20,000 not yet split." in html


def test_a_sub_goal_above_its_parent_is_refused(client, manager, campaign):
    goal = TargetFactory(campaign=campaign, metric=metric("units_sold"), target_value=Decimal(50000))
    client.force_login(manager)

    response = client.post(
        reverse("plans:subgoal_create", args=[goal.pk]),
        {"metric": goal.metric_id, "category": "performance", "target_value": "60000", "sort_order": 0},
    )

    assert response.status_code == 200
    assert "10,000 more than the parent goal" in response.content.decode()
    assert goal.children.count() == 0
