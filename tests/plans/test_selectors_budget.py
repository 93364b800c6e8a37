"""budget_lines_with_shares(): each line's and each category's share of the plan budget, or of
all lines when the plan has none."""

from decimal import Decimal

import pytest

from plans.selectors import budget_lines_with_shares
from tests.factories import AnnualPlanFactory, BudgetLineFactory

pytestmark = pytest.mark.django_db


def test_budget_shares_are_of_the_plan_budget_when_it_is_set():
    plan = AnnualPlanFactory(budget=Decimal("1000000"))
    channels = BudgetLineFactory(plan=plan, category="channel", planned_amount=Decimal("400000"))
    promotion = BudgetLineFactory(plan=plan, category="promotion", planned_amount=Decimal("100000"))
    more_channels = BudgetLineFactory(plan=plan, category="channel", planned_amount=Decimal("100000"))

    budget = budget_lines_with_shares(plan, [channels, promotion, more_channels])

    assert budget["total"] == Decimal("1000000")
    assert budget["allocated"] == Decimal("600000")
    assert budget["unallocated"] == Decimal("400000")
    assert [line.share for line in budget["lines"]] == [Decimal(40), Decimal(10), Decimal(10)]
    assert {row["category"]: row["share"] for row in budget["categories"]} == {
        "channel": Decimal(50),
        "promotion": Decimal(10),
    }


def test_budget_shares_are_of_the_sum_of_lines_when_the_plan_has_no_budget():
    plan = AnnualPlanFactory(budget=None)
    lines = [
        BudgetLineFactory(plan=plan, category="channel", planned_amount=Decimal("300000")),
        BudgetLineFactory(plan=plan, category="people", planned_amount=Decimal("100000")),
    ]

    budget = budget_lines_with_shares(plan, lines)

    assert budget["total"] == Decimal("400000")
    assert budget["unallocated"] is None
    assert [line.share for line in budget["lines"]] == [Decimal(75), Decimal(25)]


def test_budget_shares_without_any_budget_are_empty_not_a_division_by_zero():
    plan = AnnualPlanFactory(budget=None)

    budget = budget_lines_with_shares(plan, [])

    assert budget["total"] == 0
    assert budget["categories"] == []
