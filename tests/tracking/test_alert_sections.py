"""The alerts other pages show: a campaign's and a plan's alert sections (loaded with htmx),
and my open alerts on the dashboard."""

import pytest
from django.urls import reverse

from accounts.models import Role

from ..factories import TargetFactory, attainment_threshold, open_alert

pytestmark = pytest.mark.django_db


def test_the_campaign_and_plan_pages_load_their_alert_sections(client, manager, campaign):
    client.force_login(manager)

    campaign_page = client.get(campaign.get_absolute_url()).content.decode()
    plan_page = client.get(campaign.plan.get_absolute_url()).content.decode()

    assert f'hx-get="{reverse("tracking:campaign_alerts", args=[campaign.pk])}"' in campaign_page
    assert f'hx-get="{reverse("tracking:plan_alerts", args=[campaign.plan.pk])}"' in plan_page


def test_the_alert_section_offers_add_threshold_to_managers_and_the_owner_only(client, make_user, owner, campaign):
    url = reverse("tracking:campaign_alerts", args=[campaign.pk])
    add = reverse("tracking:threshold_create", args=[campaign.pk])

    client.force_login(make_user(Role.MARKETING_MANAGER))
    assert add in client.get(url).content.decode()
    client.force_login(owner)
    assert add in client.get(url).content.decode()
    client.force_login(make_user(Role.EXECUTIVE))
    assert add not in client.get(url).content.decode()


def test_the_dashboard_lists_my_open_alerts_with_the_overdue_flag(client, owner, campaign):
    mine = open_alert(attainment_threshold(TargetFactory(campaign=campaign)), hours_ago=30, summary="mine, overdue")
    open_alert(attainment_threshold(TargetFactory()), summary="not mine")
    client.force_login(owner)

    response = client.get(reverse("dashboard"))

    assert response.context["open_alerts"]["alerts"] == [mine]
    content = response.content.decode()
    assert "mine, overdue" in content
    assert "not mine" not in content
    assert "overdue for acknowledgement" in content
