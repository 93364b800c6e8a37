"""The annual plans API: marketing managers create and change plans, executives approve them,
managers activate them; a closed plan is frozen; plans filter by year, status, owner and
when they changed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from plans.models import AnnualPlan, PlanStatus
from tests.api import NOT_MANAGERS, ids, url
from tests.factories import AnnualPlanFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_manager_creates_a_plan_in_draft_that_they_own(client_as):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("plan-list"), {"year": 2027, "title": "2027 plan", "budget": "5000000"})

    assert response.status_code == 201, response.json()
    plan = AnnualPlan.objects.get()
    assert (plan.title, plan.status, plan.owner) == ("2027 plan", PlanStatus.DRAFT, client.user)
    assert response.json()["campaign_count"] == 0
    assert plan.history.first().history_user == client.user


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_create_plans(client_as, who):
    client = client_as(who)

    response = client.post(url("plan-list"), {"year": 2027, "title": "Not mine to make"})

    assert response.status_code == 403
    assert AnnualPlan.objects.count() == 0


def test_a_plan_with_a_year_out_of_range_is_refused_naming_the_year(client_as):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("plan-list"), {"year": 1999, "title": "Too early"})

    assert response.status_code == 400
    assert "year" in response.json()
    assert AnnualPlan.objects.count() == 0


def test_a_plan_without_a_title_is_refused_naming_the_title(client_as):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("plan-list"), {"year": 2027})

    assert response.status_code == 400
    assert "title" in response.json()
    assert AnnualPlan.objects.count() == 0


def test_a_manager_changes_a_plan(client_as):
    plan = AnnualPlanFactory(title="Draft")
    client = client_as(Role.MARKETING_MANAGER)

    response = client.patch(url("plan-detail", plan.pk), {"title": "2026 marketing plan", "budget": "1200000"})

    assert response.status_code == 200, response.json()
    plan.refresh_from_db()
    assert (plan.title, plan.budget) == ("2026 marketing plan", Decimal("1200000"))


def test_a_closed_plan_is_frozen_even_for_managers(client_as):
    plan = AnnualPlanFactory(title="Last year", status=PlanStatus.CLOSED)
    client = client_as(Role.MARKETING_MANAGER)

    response = client.patch(url("plan-detail", plan.pk), {"title": "Rewritten"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.title == "Last year"


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_change_plans(client_as, who):
    plan = AnnualPlanFactory(title="Draft")
    client = client_as(who)

    response = client.patch(url("plan-detail", plan.pk), {"title": "Rewritten"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.title == "Draft"


def test_an_executive_approves_a_draft_plan(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.EXECUTIVE)

    response = client.post(url("plan-status", plan.pk), {"status": "approved"})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (PlanStatus.APPROVED, client.user)


@pytest.mark.parametrize("who", [Role.MARKETING_MANAGER, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER, "token"])
def test_only_executives_approve_a_plan(client_as, who):
    plan = AnnualPlanFactory()
    client = client_as(who)

    response = client.post(url("plan-status", plan.pk), {"status": "approved"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_manager_activates_an_approved_plan(client_as):
    plan = AnnualPlanFactory(status=PlanStatus.APPROVED)
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("plan-status", plan.pk), {"status": "active"})

    assert response.status_code == 200, response.json()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


@pytest.mark.parametrize("who", [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER, "token"])
def test_only_managers_activate_a_plan(client_as, who):
    plan = AnnualPlanFactory(status=PlanStatus.APPROVED)
    client = client_as(who)

    response = client.post(url("plan-status", plan.pk), {"status": "active"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_an_unknown_plan_status_is_refused_naming_the_status(client_as):
    plan = AnnualPlanFactory()
    client = client_as("admin")

    response = client.post(url("plan-status", plan.pk), {"status": "celebrated"})

    assert response.status_code == 400
    assert "status" in response.json()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_second_active_plan_for_a_year_is_refused_naming_the_status(client_as):
    AnnualPlanFactory(year=2026, status=PlanStatus.ACTIVE)
    plan = AnnualPlanFactory(year=2026, status=PlanStatus.APPROVED)
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("plan-status", plan.pk), {"status": "active"})

    assert response.status_code == 400
    assert "status" in response.json()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_only_administrators_may_force_a_plan_status(client_as):
    plan = AnnualPlanFactory(status=PlanStatus.ACTIVE)

    by_manager = client_as(Role.MARKETING_MANAGER).post(
        url("plan-status", plan.pk), {"status": "closed", "force": True}
    )
    plan.refresh_from_db()
    status_after_manager = plan.status
    by_admin = client_as("admin").post(url("plan-status", plan.pk), {"status": "draft", "force": True})

    assert (by_manager.status_code, status_after_manager) == (403, PlanStatus.ACTIVE)
    assert by_admin.status_code == 200
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_plans_filter_by_year_status_owner_and_updated_after(client_as):
    owner = UserFactory()
    old = AnnualPlanFactory(year=2025, status=PlanStatus.CLOSED)
    current = AnnualPlanFactory(year=2026, status=PlanStatus.ACTIVE, owner=owner)
    AnnualPlan.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=30))
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("plan-list"), {"year": 2025})) == [old.pk]
    assert ids(client.get(url("plan-list"), {"status": "active"})) == [current.pk]
    assert ids(client.get(url("plan-list"), {"owner": owner.pk})) == [current.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(client.get(url("plan-list"), {"updated_after": since})) == [current.pk]
