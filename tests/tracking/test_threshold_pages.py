"""Adding and editing thresholds on the pages: a campaign's (its owner and marketing managers)
and a plan's (marketing managers), who else may not, and switching one off."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from tracking.models import Threshold

from ..factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CampaignFactory,
    TargetFactory,
    UserFactory,
    attainment_threshold,
)
from .pages import threshold_form

pytestmark = pytest.mark.django_db

NOT_MANAGERS = [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]


# A campaign's thresholds ------------------------------------------------------------------


def test_a_manager_adds_a_paced_attainment_threshold_to_a_campaign_goal(client, manager, campaign, goal):
    client.force_login(manager)

    response = client.post(
        reverse("tracking:threshold_create", args=[campaign.pk]),
        threshold_form(kind="attainment_below", target=goal.pk, percent="80", paced="on", severity="critical"),
    )

    assert response.status_code == 302
    assert response["Location"] == f"{campaign.get_absolute_url()}#alerts"
    threshold = Threshold.objects.get()
    assert (threshold.target, threshold.campaign, threshold.percent, threshold.paced) == (
        goal,
        campaign,
        Decimal("80"),
        True,
    )
    assert threshold.created_by == manager
    assert threshold.history.first().history_user == manager
    section = client.get(reverse("tracking:campaign_alerts", args=[campaign.pk])).content.decode()
    assert "Alert when Units sold is below 80% of the target, paced" in section


def test_the_campaign_owner_adds_a_threshold_on_the_whole_campaign(client, owner, campaign):
    client.force_login(owner)

    response = client.post(
        reverse("tracking:threshold_create", args=[campaign.pk]), threshold_form(kind="tasks_overdue", min_count="3")
    )

    assert response.status_code == 302
    threshold = Threshold.objects.get()
    assert (threshold.campaign, threshold.target, threshold.min_count) == (campaign, None, 3)


def test_the_threshold_form_adds_chosen_people_to_the_recipients(client, manager, campaign, goal):
    lead = UserFactory(username="lead")
    client.force_login(manager)

    client.post(
        reverse("tracking:threshold_create", args=[campaign.pk]),
        threshold_form(kind="attainment_below", target=goal.pk, percent="80", recipients=[lead.pk]),
    )

    assert list(Threshold.objects.get().recipients.all()) == [lead]


def test_a_budget_line_threshold_names_the_line_in_its_rule(client, manager, campaign):
    line = BudgetLineFactory(plan=campaign.plan, description="抖音投放")
    client.force_login(manager)

    client.post(
        reverse("tracking:threshold_create", args=[campaign.pk]),
        threshold_form(kind="cost_above_budget", percent="10", budget_line=line.pk),
    )

    section = client.get(reverse("tracking:campaign_alerts", args=[campaign.pk])).content.decode()
    assert "Alert when marketing cost is more than 10% above the budget line “抖音投放”" in section


def test_a_manager_edits_a_threshold_and_the_history_keeps_both_versions(client, manager, campaign, goal):
    threshold = attainment_threshold(goal)
    client.force_login(manager)

    form_page = client.get(reverse("tracking:threshold_edit", args=[threshold.pk]))
    response = client.post(
        reverse("tracking:threshold_edit", args=[threshold.pk]),
        threshold_form(kind="attainment_below", target=goal.pk, percent="70", paced=""),
    )

    assert "Alert when Units sold is below 80% of the target, paced" in form_page.content.decode()
    assert response.status_code == 302
    threshold.refresh_from_db()
    assert (threshold.percent, threshold.paced) == (Decimal("70"), False)
    assert threshold.history.count() == 2
    assert threshold.history.first().history_user == manager


def test_a_switched_off_threshold_stays_listed_and_can_be_switched_on_again(client, owner, campaign, goal):
    threshold = attainment_threshold(goal)
    client.force_login(owner)

    client.post(reverse("tracking:threshold_deactivate", args=[threshold.pk]))
    threshold.refresh_from_db()
    section = client.get(reverse("tracking:campaign_alerts", args=[campaign.pk])).content.decode()
    client.post(reverse("tracking:threshold_activate", args=[threshold.pk]))

    assert threshold.is_active is False
    assert "switched off" in section
    threshold.refresh_from_db()
    assert threshold.is_active is True


# Who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_other_roles_cannot_open_or_post_threshold_forms(client, make_user, campaign, goal, role):
    threshold = attainment_threshold(goal)
    client.force_login(make_user(role))
    create = reverse("tracking:threshold_create", args=[campaign.pk])
    edit = reverse("tracking:threshold_edit", args=[threshold.pk])
    plan_create = reverse("tracking:plan_threshold_create", args=[campaign.plan.pk])

    responses = [
        client.get(create),
        client.post(create, threshold_form(kind="tasks_overdue")),
        client.get(edit),
        client.post(edit, threshold_form(kind="attainment_below", target=goal.pk, percent="50")),
        client.post(reverse("tracking:threshold_deactivate", args=[threshold.pk])),
        client.get(plan_create),
    ]

    assert [response.status_code for response in responses] == [403] * 6
    threshold.refresh_from_db()
    assert (threshold.percent, threshold.is_active) == (Decimal("80"), True)
    assert Threshold.objects.count() == 1


def test_the_owner_of_another_campaign_cannot_set_thresholds_here(client, make_user, campaign):
    client.force_login(CampaignFactory(owner=make_user(Role.STAFF)).owner)

    response = client.post(
        reverse("tracking:threshold_create", args=[campaign.pk]), threshold_form(kind="tasks_overdue")
    )

    assert response.status_code == 403
    assert not Threshold.objects.exists()


# A plan's thresholds ----------------------------------------------------------------------


def test_a_manager_adds_a_threshold_to_a_plan_target_and_the_owner_of_a_campaign_cannot(client, manager, owner):
    plan = AnnualPlanFactory()
    target = TargetFactory(plan=plan, campaign=None)

    client.force_login(owner)
    refused = client.post(
        reverse("tracking:plan_threshold_create", args=[plan.pk]),
        threshold_form(kind="attainment_below", target=target.pk, percent="80"),
    )
    client.force_login(manager)
    accepted = client.post(
        reverse("tracking:plan_threshold_create", args=[plan.pk]),
        threshold_form(kind="attainment_below", target=target.pk, percent="80"),
    )

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert accepted["Location"] == f"{plan.get_absolute_url()}#alerts"
    threshold = Threshold.objects.get()
    assert (threshold.plan, threshold.target, threshold.campaign) == (plan, target, None)


def test_the_plan_threshold_form_offers_only_the_kinds_a_plan_target_can_have(client, manager):
    plan = AnnualPlanFactory()
    client.force_login(manager)

    form = client.get(reverse("tracking:plan_threshold_create", args=[plan.pk])).context["form"]

    kinds = {value for value, _label in form.fields["kind"].choices}
    assert kinds == {"attainment_below", "value_below", "value_above", "benchmark_below"}
    assert "budget_line" not in form.fields
