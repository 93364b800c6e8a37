"""A plan target split by quarter: the quarters must add up to the target, and the refusal says
by how much they miss; only a summed metric splits."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plans.models import Target
from plans.services import target_save
from tests.factories import AnnualPlanFactory, goal_input

pytestmark = pytest.mark.django_db


def test_a_quarterly_split_that_adds_up_is_saved():
    plan = AnnualPlanFactory()

    target = target_save(
        data=goal_input("100000", q1=Decimal(20000), q2=Decimal(25000), q3=Decimal(25000), q4=Decimal(30000)),
        plan=plan,
    )

    assert target.quarters == [Decimal(20000), Decimal(25000), Decimal(25000), Decimal(30000)]


def test_a_quarterly_split_over_the_target_says_by_how_much_more():
    plan = AnnualPlanFactory()

    with pytest.raises(ValidationError) as error:
        target_save(
            data=goal_input("100000", q1=Decimal(30000), q2=Decimal(30000), q3=Decimal(30000), q4=Decimal(20000)),
            plan=plan,
        )

    [message] = error.value.message_dict["q1"]
    assert "adds up to 110,000" in message
    assert "10,000 more than the target of 100,000" in message
    assert not Target.objects.exists()


def test_a_quarterly_split_under_the_target_says_by_how_much_less():
    plan = AnnualPlanFactory()

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("100000", q1=Decimal(20000), q2=Decimal(20000)), plan=plan)

    [message] = error.value.message_dict["q1"]
    assert "adds up to 40,000, 60,000 less than the target of 100,000" in message


def test_a_quarterly_split_is_refused_for_a_metric_that_is_not_summed():
    plan = AnnualPlanFactory()

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("20", code="market_share", q1=Decimal(5), q2=Decimal(15)), plan=plan)

    assert "only adds up for metrics that are summed" in error.value.message_dict["q1"][0]
