"""target_save: a target's period and value, its history, and campaign goals' sub-goals, which
may not add up to more than their goal. The quarterly split: test_services_quarterly_split.py."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plans.models import Target
from plans.services import target_save
from tests.factories import AnnualPlanFactory, CampaignFactory, channel, goal_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    """A campaign through June 2026."""
    return CampaignFactory(start_date=date(2026, 6, 1), end_date=date(2026, 6, 30))


@pytest.fixture
def goal(campaign):
    """A campaign goal of 50,000 units."""
    return target_save(data=goal_input("50000"), campaign=campaign)


# targets: periods and values ----------------------------------------------------------------


def test_a_plan_target_defaults_to_the_plan_year():
    plan = AnnualPlanFactory(year=2027)

    target = target_save(data=goal_input(), plan=plan)

    assert (target.period_start, target.period_end) == (date(2027, 1, 1), date(2027, 12, 31))


def test_a_campaign_target_defaults_to_the_campaign_dates(campaign):
    target = target_save(data=goal_input(), campaign=campaign)

    assert (target.period_start, target.period_end) == (date(2026, 6, 1), date(2026, 6, 30))


def test_a_target_keeps_a_period_it_is_given(campaign):
    target = target_save(
        data=goal_input(period_start=date(2026, 6, 10), period_end=date(2026, 6, 18)), campaign=campaign
    )

    assert (target.period_start, target.period_end) == (date(2026, 6, 10), date(2026, 6, 18))


def test_a_target_period_ending_before_it_starts_is_refused(campaign):
    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input(period_start=date(2026, 6, 18), period_end=date(2026, 6, 10)), campaign=campaign)

    assert "period_end" in error.value.message_dict


def test_a_target_of_neither_plan_nor_campaign_is_refused():
    with pytest.raises(ValidationError):
        target_save(data=goal_input())

    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("code", "value", "words"),
    [
        ("units_sold", "-10", "cannot be negative"),
        ("units_sold", "10.5", "whole number"),
        ("market_share", "120", "cannot be over 100"),
        ("marketing_cost", "-1", "cannot be negative"),
    ],
)
def test_a_target_value_impossible_for_its_unit_is_refused(campaign, code, value, words):
    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input(value, code=code), campaign=campaign)

    assert words in " ".join(error.value.message_dict["target_value"])
    assert not Target.objects.exists()


def test_a_negative_profit_target_is_allowed(campaign):
    target = target_save(data=goal_input("-20000", code="profit"), campaign=campaign)

    assert target.target_value == Decimal("-20000")


def test_target_save_changes_an_existing_target(goal):
    target_save(data=goal_input("60000", name="Launch volume"), target=goal)

    goal.refresh_from_db()
    assert goal.target_value == Decimal("60000")
    assert goal.name == "Launch volume"
    assert Target.objects.count() == 1


def test_changing_a_target_is_kept_in_history(goal):
    before = goal.history.count()

    target_save(data=goal_input("60000"), target=goal)

    assert goal.history.count() == before + 1
    assert goal.history.first().target_value == Decimal("60000")


def test_a_history_row_carries_the_author_the_caller_names(goal, manager):
    goal._history_user = manager

    target_save(data=goal_input("60000"), target=goal)

    assert goal.history.first().history_user == manager


# targets: sub-goals -------------------------------------------------------------------------


def test_sub_goals_that_add_up_to_the_goal_are_saved(goal):
    online = target_save(data=goal_input("30000", channel=channel("online")), parent=goal)
    offline = target_save(data=goal_input("20000", channel=channel("offline")), parent=goal)

    assert list(goal.children.order_by("pk")) == [online, offline]
    assert online.campaign == goal.campaign
    assert online.plan is None


def test_a_sub_goal_that_would_exceed_the_goal_is_refused_with_the_amount(goal):
    target_save(data=goal_input("30000", channel=channel("online")), parent=goal)
    target_save(data=goal_input("20000", channel=channel("offline")), parent=goal)

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("5000", channel=channel("ecommerce")), parent=goal)

    [message] = error.value.message_dict["target_value"]
    assert "add up to 55,000, 5,000 more than the parent goal of 50,000" in message
    assert goal.children.count() == 2


def test_raising_a_sub_goal_above_what_its_siblings_leave_is_refused(goal):
    online = target_save(data=goal_input("30000"), parent=goal)
    target_save(data=goal_input("20000"), parent=goal)

    with pytest.raises(ValidationError):
        target_save(data=goal_input("30001"), target=online)

    online.refresh_from_db()
    assert online.target_value == Decimal("30000")


def test_changing_a_sub_goal_within_its_share_is_saved(goal):
    online = target_save(data=goal_input("30000"), parent=goal)
    target_save(data=goal_input("20000"), parent=goal)

    target_save(data=goal_input("25000"), target=online)

    online.refresh_from_db()
    assert online.target_value == Decimal("25000")


def test_a_sub_goal_on_another_metric_is_refused(goal):
    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("1000", code="sales_revenue"), parent=goal)

    assert "same metric" in error.value.message_dict["metric"][0]


def test_a_sub_goal_of_a_sub_goal_is_refused(goal):
    online = target_save(data=goal_input("30000"), parent=goal)

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("10000"), parent=online)

    assert "one level deep" in error.value.message_dict["parent"][0]


def test_sub_goals_of_a_metric_that_is_not_summed_may_each_reach_the_goal(campaign):
    share = target_save(data=goal_input("20", code="market_share"), campaign=campaign)

    target_save(data=goal_input("20", code="market_share", channel=channel("online")), parent=share)
    target_save(data=goal_input("20", code="market_share", channel=channel("offline")), parent=share)

    assert share.children.count() == 2


def test_lowering_a_goal_below_its_sub_goals_is_refused(goal):
    target_save(data=goal_input("30000"), parent=goal)
    target_save(data=goal_input("20000"), parent=goal)

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("45000"), target=goal)

    assert "add up to 50,000, more than 45,000" in error.value.message_dict["target_value"][0]
    goal.refresh_from_db()
    assert goal.target_value == Decimal("50000")


def test_changing_the_metric_of_a_goal_with_sub_goals_is_refused(goal):
    target_save(data=goal_input("30000"), parent=goal)

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("50000", code="new_customers"), target=goal)

    assert "metric" in error.value.message_dict


def test_a_goal_with_sub_goals_cannot_become_a_sub_goal_itself(goal, campaign):
    target_save(data=goal_input("30000"), parent=goal)
    other = target_save(data=goal_input("90000"), campaign=campaign)

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("50000"), target=goal, parent=other)

    assert "parent" in error.value.message_dict
    goal.refresh_from_db()
    assert goal.parent is None


def test_a_goal_cannot_be_its_own_sub_goal(goal):
    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("50000"), target=goal, parent=goal)

    assert error.value.message_dict == {"parent": ["A goal cannot be its own sub-goal."]}
    goal.refresh_from_db()
    assert goal.parent is None
