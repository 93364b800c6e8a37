"""Statuses shown as colours and words: plan badges, the plan's status buttons, the
dashboard's worst goal of a campaign."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from plans.models import CampaignStatus, PlanStatus
from tests.factories import AnnualPlanFactory, CampaignFactory, MetricValueFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "style"),
    [
        (PlanStatus.DRAFT, "secondary"),
        (PlanStatus.APPROVED, "info"),
        (PlanStatus.ACTIVE, "success"),
        (PlanStatus.CLOSED, "dark"),
    ],
)
def test_a_plans_status_badge_has_its_colour_on_the_list_and_the_plan_page(client, manager, status, style):
    plan = AnnualPlanFactory(status=status)
    client.force_login(manager)

    listed = client.get(reverse("plans:plan_list")).content.decode()
    shown = client.get(plan.get_absolute_url()).content.decode()

    assert f'text-bg-{style}">{plan.get_status_display()}</span>' in listed
    assert f'text-bg-{style}" id="plan-status"' in shown


def test_closing_an_active_plan_asks_first(client, manager):
    plan = AnnualPlanFactory(status=PlanStatus.ACTIVE, owner=manager)
    client.force_login(manager)

    html = client.get(plan.get_absolute_url()).content.decode()

    assert "Close this plan? A closed plan can no longer be edited." in html


def test_approving_a_draft_plan_asks_first_naming_its_targets(client, make_user):
    plan = AnnualPlanFactory(status=PlanStatus.DRAFT)
    TargetFactory(plan=plan, campaign=None)
    client.force_login(make_user(Role.EXECUTIVE))

    html = client.get(plan.get_absolute_url()).content.decode()

    assert "Approve this plan with its 1 targets and its budget?" in html


def test_the_dashboard_marks_a_campaign_whose_goal_is_far_behind_as_off_track(client, manager):
    today = timezone.localdate()
    campaign = CampaignFactory(
        status=CampaignStatus.EXECUTING, start_date=today - timedelta(days=20), end_date=today + timedelta(days=9)
    )
    TargetFactory(campaign=campaign, target_value=Decimal(50000))
    MetricValueFactory(campaign=campaign, date=today - timedelta(days=1), value=Decimal(10))
    client.force_login(manager)

    html = client.get(reverse("dashboard")).content.decode()

    assert '<span class="badge text-bg-danger">off track</span>' in html
