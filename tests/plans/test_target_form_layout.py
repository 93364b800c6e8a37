"""The target form: the quarterly split in a row of its own, with ¥ for an amount, and no
internal "order" field (a new target goes last, a changed one keeps its place)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from plans.models import PlanStatus, Target
from tests.factories import AnnualPlanFactory, TargetFactory, metric

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return AnnualPlanFactory(status=PlanStatus.DRAFT)


@pytest.fixture
def manager_client(client, make_user):
    client.force_login(make_user(Role.MARKETING_MANAGER))
    return client


def test_the_form_has_no_order_field_and_shows_the_four_quarters_together(manager_client, plan):
    html = manager_client.get(reverse("plans:plan_target_create", args=[plan.pk])).content.decode()

    assert 'name="sort_order"' not in html
    quarters = html[html.index('id="quarterly-split"') :]
    assert all(f'name="q{n}"' in quarters for n in range(1, 5))


def test_an_amounts_quarters_show_yuan_and_a_counts_do_not(manager_client, plan):
    sales = TargetFactory(plan=plan, campaign=None, metric=metric("sales_revenue"), target_value=Decimal(1000))
    members = TargetFactory(plan=plan, campaign=None, metric=metric("new_customers"), target_value=Decimal(1000))

    sales_form = manager_client.get(reverse("plans:target_edit", args=[sales.pk])).content.decode()
    members_form = manager_client.get(reverse("plans:target_edit", args=[members.pk])).content.decode()

    assert '<span class="input-group-text quarter-unit">¥</span>' in sales_form
    assert '<span class="input-group-text quarter-unit" hidden>¥</span>' in members_form
    assert 'data-unit="cny"' in sales_form  # the script shows ¥ when another metric is chosen


def test_a_new_target_goes_after_the_last_one(manager_client, plan):
    TargetFactory(plan=plan, campaign=None, sort_order=4)
    TargetFactory(plan=plan, campaign=None, sort_order=7)

    response = manager_client.post(
        reverse("plans:plan_target_create", args=[plan.pk]),
        {"metric": metric("new_customers").pk, "category": "customer", "target_value": "500"},
    )

    assert response.status_code == 302
    assert Target.objects.latest("pk").sort_order == 8


def test_saving_a_target_keeps_its_place(manager_client, plan):
    target = TargetFactory(plan=plan, campaign=None, metric=metric("new_customers"), sort_order=5)

    response = manager_client.post(
        reverse("plans:target_edit", args=[target.pk]),
        {"metric": target.metric_id, "category": "customer", "target_value": "600"},
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.target_value, target.sort_order) == (Decimal(600), 5)


def test_amounts_show_as_typed_without_four_trailing_decimals(manager_client, plan):
    target = TargetFactory(plan=plan, campaign=None, metric=metric("sales_revenue"), target_value=Decimal("1000"))
    target.q1, target.q2, target.q3, target.q4 = Decimal(200), Decimal(250), Decimal("250.5"), Decimal("299.5")
    target.save()

    html = manager_client.get(reverse("plans:target_edit", args=[target.pk])).content.decode()

    assert 'name="target_value" value="1000"' in html
    assert 'name="q3" value="250.5"' in html
