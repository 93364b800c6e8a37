"""The budget lines API: each line's share of the plan budget (or of all lines, without one);
marketing managers add and change lines; lines filter by plan, category and channel."""

from decimal import Decimal

import pytest

from accounts.models import Role
from plans.models import BudgetLine
from tests.api import NOT_MANAGERS, ids, results, url
from tests.factories import AnnualPlanFactory, BudgetLineFactory, channel

pytestmark = pytest.mark.django_db


def test_budget_line_shares_are_of_the_plan_budget(client_as):
    plan = AnnualPlanFactory(budget=Decimal("1000000"))
    line = BudgetLineFactory(plan=plan, planned_amount=Decimal("250000"), channel=channel("online"))
    client = client_as(Role.VIEWER)

    row = results(client.get(url("budget-line-list")))[0]

    assert row["id"] == line.pk
    assert (row["channel"], row["share_percent"]) == ("online", "25.0")


def test_budget_line_shares_are_of_the_sum_of_lines_when_the_plan_has_no_budget(client_as):
    plan = AnnualPlanFactory(budget=None)
    BudgetLineFactory(plan=plan, planned_amount=Decimal("300"))
    BudgetLineFactory(plan=plan, planned_amount=Decimal("100"), category="people")
    BudgetLineFactory(planned_amount=Decimal("999"))  # another plan's
    client = client_as(Role.VIEWER)

    rows = results(client.get(url("budget-line-list"), {"plan": plan.pk, "ordering": "-planned_amount"}))

    assert [row["share_percent"] for row in rows] == ["75.0", "25.0"]


def test_a_manager_adds_a_budget_line_on_a_channel(client_as):
    plan = AnnualPlanFactory(budget=Decimal("1000"))
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("budget-line-list"),
        {"plan": plan.pk, "category": "channel", "channel": "ecommerce", "planned_amount": "100"},
    )

    assert response.status_code == 201, response.json()
    assert response.json()["share_percent"] == "10.0"
    assert BudgetLine.objects.get().channel == channel("ecommerce")


def test_a_negative_planned_amount_is_refused_naming_the_field(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("budget-line-list"), {"plan": plan.pk, "category": "people", "planned_amount": "-5"})

    assert response.status_code == 400
    assert "planned_amount" in response.json()
    assert BudgetLine.objects.count() == 0


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_add_or_change_budget_lines(client_as, who):
    line = BudgetLineFactory(planned_amount=Decimal("100"))
    client = client_as(who)

    created = client.post(url("budget-line-list"), {"plan": line.plan.pk, "category": "people", "planned_amount": "5"})
    changed = client.patch(url("budget-line-detail", line.pk), {"planned_amount": "1"})

    assert (created.status_code, changed.status_code) == (403, 403)
    assert list(BudgetLine.objects.values_list("planned_amount", flat=True)) == [Decimal("100")]


def test_budget_lines_filter_by_plan_category_and_channel(client_as):
    plan = AnnualPlanFactory()
    online = BudgetLineFactory(plan=plan, category="channel", channel=channel("online"))
    people = BudgetLineFactory(plan=plan, category="people")
    BudgetLineFactory(category="people")
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("budget-line-list"), {"plan": plan.pk, "category": "people"})) == [people.pk]
    assert ids(client.get(url("budget-line-list"), {"channel": "online"})) == [online.pk]
