"""with_attainment() evaluates targets on a given day, every target of a plan in one query;
goal_tree() puts sub-goals under their goal with what they add up to."""

from datetime import date
from decimal import Decimal

import pytest

from plans.attainment import Status
from plans.models import Target
from plans.selectors import goal_tree, target_list, with_attainment
from tests.factories import (
    JUNE_15,
    AnnualPlanFactory,
    CampaignFactory,
    TargetFactory,
    bulk_values,
    metric,
    record_value,
)

pytestmark = pytest.mark.django_db


def test_with_attainment_evaluates_each_target_on_the_given_day():
    target = TargetFactory(target_value=Decimal("3000"))
    record_value(target.campaign, value="1200")

    [evaluated] = with_attainment(target_list().filter(pk=target.pk), today=JUNE_15)

    assert evaluated.attainment.actual == Decimal("1200")
    assert evaluated.attainment.rate == Decimal("0.4")
    assert evaluated.attainment.status == Status.AT_RISK  # 1200 of an expected 1500 is 80%


def test_with_attainment_of_a_lower_is_better_cost_over_budget_is_off_track():
    target = TargetFactory(metric=metric("marketing_cost"), target_value=Decimal("100000"))
    record_value(target.campaign, code="marketing_cost", value="107000")

    [evaluated] = with_attainment(target_list().filter(pk=target.pk), today=date(2026, 7, 5))

    assert evaluated.attainment.status == Status.OFF_TRACK


def test_with_attainment_without_values_is_no_data():
    target = TargetFactory()

    [evaluated] = with_attainment(target_list().filter(pk=target.pk), today=JUNE_15)

    assert evaluated.attainment.status == Status.NO_DATA


@pytest.mark.parametrize("count", [3, 300])
def test_attainment_of_every_target_of_a_plan_takes_one_query(count, django_assert_num_queries):
    plan = AnnualPlanFactory()
    campaign = CampaignFactory(plan=plan)
    bulk_values(plan=plan, campaign=campaign, code="units_sold", count=30)
    units = metric("units_sold")
    Target.objects.bulk_create(
        Target(
            plan=plan,
            metric=units,
            category="performance",
            target_value=Decimal(1000 + n),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        for n in range(count)
    )

    with django_assert_num_queries(1):
        targets = with_attainment(target_list().filter(plan=plan), today=JUNE_15)
        labels = [target.label for target in targets]

    assert len(labels) == count
    assert {target.attainment.actual for target in targets} == {Decimal(300)}


# goal tree ----------------------------------------------------------------------------------


def test_goal_tree_puts_sub_goals_under_their_goal_with_total_and_gap():
    goal = TargetFactory(target_value=Decimal("50000"))
    online = TargetFactory(campaign=goal.campaign, parent=goal, target_value=Decimal("30000"))
    offline = TargetFactory(campaign=goal.campaign, parent=goal, target_value=Decimal("15000"))
    other = TargetFactory(campaign=goal.campaign, metric=metric("exposure"), target_value=Decimal("1000000"))

    tree = goal_tree(list(target_list().filter(campaign=goal.campaign)))

    assert [node.pk for node in tree] == [goal.pk, other.pk]
    assert [child.pk for child in tree[0].subgoals] == [online.pk, offline.pk]
    assert tree[0].subgoal_total == Decimal("45000")
    assert tree[0].subgoal_gap == Decimal("5000")


def test_goal_tree_gives_no_gap_to_a_goal_without_sub_goals():
    goal = TargetFactory()

    [node] = goal_tree(list(target_list().filter(pk=goal.pk)))

    assert node.subgoals == []
    assert node.subgoal_total == 0
    assert node.subgoal_gap is None
