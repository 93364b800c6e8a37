"""A target adjustment may empty a quarter of a plan target's split (a blank box leaves a value
as it is, so emptying is a tick of its own) when the split rules still hold; the request
applies it as empty. Emptying that breaks the split is refused, naming it, and saves nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import TargetFactory
from tracking.models import Adjustment
from tracking.services.adjustments import adjustment_approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(plan):
    return TargetFactory(
        plan=plan,
        campaign=None,
        target_value=Decimal(100),
        q1=Decimal(25),
        q2=Decimal(25),
        q3=Decimal(25),
        q4=Decimal(25),
    )


def _post(client, plan, target, **values):
    data = {"reason": "Q4 folds into Q3", "submit": "1"}
    for name, value in values.items():
        kind, quarter = name.split("_")
        prefix = "v" if kind == "value" else "clear"
        data[f"{prefix}-target-{target.pk}-{quarter}"] = value
    return client.post(reverse("tracking:plan_adjustment_request", args=[plan.pk, "target"]), data)


def test_the_form_offers_to_empty_a_quarter_that_is_set(client, manager, plan, target):
    client.force_login(manager)
    page = client.get(reverse("tracking:plan_adjustment_request", args=[plan.pk, "target"])).content.decode()
    assert f'name="clear-target-{target.pk}-q4"' in page
    assert f'name="clear-target-{target.pk}-target_value"' not in page  # a target always has a value


def test_emptying_a_quarter_and_moving_its_share_is_requested_and_applied(
    client, manager, plan, target, lead, executive
):
    client.force_login(manager)

    response = _post(client, plan, target, value_q3="50", clear_q4="on")

    assert response.status_code == 302
    adjustment = Adjustment.objects.get()
    q4 = adjustment.changes.get(field="q4")
    assert (q4.before, q4.after, q4.after_display) == ("25.0000", "", "–")
    adjustment_approve(adjustment=adjustment, by=lead)
    adjustment.refresh_from_db()
    if adjustment.state == "pending":
        adjustment_approve(adjustment=adjustment, by=executive)
    target.refresh_from_db()
    assert (target.q3, target.q4) == (Decimal(50), None)


def test_emptying_every_quarter_removes_the_split(client, manager, plan, target):
    client.force_login(manager)

    response = _post(client, plan, target, clear_q1="on", clear_q2="on", clear_q3="on", clear_q4="on")

    assert response.status_code == 302
    assert {change.after for change in Adjustment.objects.get().changes.all()} == {""}


def test_emptying_a_quarter_that_breaks_the_split_is_refused(client, manager, plan, target):
    client.force_login(manager)

    response = _post(client, plan, target, clear_q4="on")

    assert response.status_code == 200
    assert "adds up to 75" in response.content.decode()
    assert not Adjustment.objects.exists()


def test_a_value_and_empty_at_once_is_refused_on_the_field(client, manager, plan, target):
    client.force_login(manager)

    response = _post(client, plan, target, value_q4="10", clear_q4="on")

    assert "Give a new value or tick “empty”, not both." in response.content.decode()
    assert not Adjustment.objects.exists()
