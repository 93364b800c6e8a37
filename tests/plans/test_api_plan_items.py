"""A plan's items (strategies, challenges, safeguards, review) and its quarterly focus through
the API: marketing managers write them, in the right section, while the plan is open."""

import pytest

from accounts.models import Role
from plans.models import PlanItem, PlanStatus, QuarterFocus
from tests.api import NOT_MANAGERS, ids, url
from tests.factories import AnnualPlanFactory

pytestmark = pytest.mark.django_db


# Plan items -------------------------------------------------------------------------------


def test_a_manager_adds_a_strategy_to_a_plan(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("plan-item-list"),
        {"plan": plan.pk, "section": "strategy", "category": "channel", "title": "Grow private domain"},
    )

    assert response.status_code == 201, response.json()
    item = PlanItem.objects.get()
    assert (item.plan, item.section, item.category, item.title) == (plan, "strategy", "channel", "Grow private domain")


def test_a_plan_item_category_outside_its_section_is_refused_naming_the_category(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("plan-item-list"), {"plan": plan.pk, "section": "strategy", "category": "competition", "title": "x"}
    )

    assert response.status_code == 400
    assert "category" in response.json()
    assert PlanItem.objects.count() == 0


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_add_plan_items(client_as, who):
    plan = AnnualPlanFactory()
    client = client_as(who)

    response = client.post(
        url("plan-item-list"), {"plan": plan.pk, "section": "review", "category": "results", "title": "x"}
    )

    assert response.status_code == 403
    assert PlanItem.objects.count() == 0


def test_items_of_a_closed_plan_cannot_be_changed(client_as):
    plan = AnnualPlanFactory(status=PlanStatus.CLOSED)
    item = PlanItem.objects.create(plan=plan, section="review", category="results", title="Sales grew 12%")
    client = client_as(Role.MARKETING_MANAGER)

    changed = client.patch(url("plan-item-detail", item.pk), {"title": "Sales grew 20%"})
    deleted = client.delete(url("plan-item-detail", item.pk))

    assert (changed.status_code, deleted.status_code) == (403, 403)
    item.refresh_from_db()
    assert item.title == "Sales grew 12%"


def test_a_manager_changes_and_deletes_a_plan_item(client_as):
    item = PlanItem.objects.create(plan=AnnualPlanFactory(), section="review", category="results", title="Draft")
    client = client_as(Role.MARKETING_MANAGER)

    changed = client.patch(url("plan-item-detail", item.pk), {"title": "Sales grew 12%"})
    item.refresh_from_db()
    title = item.title
    deleted = client.delete(url("plan-item-detail", item.pk))

    assert (changed.status_code, title) == (200, "Sales grew 12%")
    assert deleted.status_code == 204
    assert not PlanItem.objects.exists()


def test_plan_items_filter_by_plan_and_section(client_as):
    plan, other = AnnualPlanFactory(), AnnualPlanFactory()
    strategy = PlanItem.objects.create(plan=plan, section="strategy", category="price", title="Hold prices")
    PlanItem.objects.create(plan=plan, section="safeguard", category="risk", title="Stock buffer")
    PlanItem.objects.create(plan=other, section="strategy", category="price", title="Cut prices")
    client = client_as(Role.STAFF)

    response = client.get(url("plan-item-list"), {"plan": plan.pk, "section": "strategy"})

    assert ids(response) == [strategy.pk]


# Quarterly focus --------------------------------------------------------------------------


def test_a_manager_sets_and_then_changes_a_quarter_focus(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    created = client.post(url("quarter-focus-list"), {"plan": plan.pk, "quarter": 2, "theme": "Push"})
    changed = client.patch(url("quarter-focus-detail", created.json()["id"]), {"key_actions": "618 promotion"})

    assert (created.status_code, changed.status_code) == (201, 200)
    focus = QuarterFocus.objects.get()
    assert (focus.quarter, focus.theme, focus.key_actions) == (2, "Push", "618 promotion")


def test_a_second_focus_for_the_same_quarter_is_refused(client_as):
    plan = AnnualPlanFactory()
    QuarterFocus.objects.create(plan=plan, quarter=1, theme="Launch")
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("quarter-focus-list"), {"plan": plan.pk, "quarter": 1, "theme": "Again"})

    assert response.status_code == 400
    assert "This plan already has a focus for that quarter" in str(response.json())
    assert list(QuarterFocus.objects.values_list("theme_en", flat=True)) == ["Launch"]


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_set_a_quarter_focus(client_as, who):
    plan = AnnualPlanFactory()
    client = client_as(who)

    response = client.post(url("quarter-focus-list"), {"plan": plan.pk, "quarter": 3, "theme": "Sprint"})

    assert response.status_code == 403
    assert QuarterFocus.objects.count() == 0
