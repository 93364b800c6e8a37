"""What the threshold form accepts: a threshold that cannot be checked is refused naming the
field, fields of another kind are dropped, and the preview says the rule in words."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from tracking.models import Threshold

from ..factories import TargetFactory
from .pages import threshold_form

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_threshold_that_cannot_be_checked_is_refused_naming_the_field(client, manager, campaign, goal):
    client.force_login(manager)

    response = client.post(
        reverse("tracking:threshold_create", args=[campaign.pk]),
        threshold_form(kind="attainment_below", target=goal.pk, percent=""),
    )

    assert response.status_code == 200
    assert "percent" in response.context["form"].errors
    assert "Give the percentage." in response.content.decode()
    assert not Threshold.objects.exists()


def test_an_attainment_threshold_without_a_target_is_refused_naming_it(client, manager, campaign):
    client.force_login(manager)

    response = client.post(
        reverse("tracking:threshold_create", args=[campaign.pk]), threshold_form(kind="attainment_below", percent="80")
    )

    assert "target" in response.context["form"].errors
    assert not Threshold.objects.exists()


def test_a_goal_of_another_campaign_cannot_be_chosen(client, manager, campaign):
    foreign = TargetFactory()
    client.force_login(manager)

    response = client.post(
        reverse("tracking:threshold_create", args=[campaign.pk]),
        threshold_form(kind="attainment_below", target=foreign.pk, percent="80"),
    )

    assert "target" in response.context["form"].errors
    assert not Threshold.objects.exists()


def test_fields_another_kind_uses_are_cleared_on_save(client, manager, campaign, goal):
    client.force_login(manager)

    client.post(
        reverse("tracking:threshold_create", args=[campaign.pk]),
        threshold_form(kind="value_below", target=goal.pk, bound="100", window_days="7", percent="80", min_count="5"),
    )

    threshold = Threshold.objects.get()
    assert (threshold.bound, threshold.window_days) == (Decimal("100"), 7)
    assert (threshold.percent, threshold.min_count) == (None, None)


# The preview ------------------------------------------------------------------------------


def test_the_preview_says_in_words_what_the_unsaved_threshold_will_check(client, manager, campaign, goal):
    client.force_login(manager)

    response = client.post(
        reverse("tracking:threshold_preview") + f"?campaign={campaign.pk}",
        threshold_form(kind="attainment_below", target=goal.pk, percent="80", paced="on"),
        **HTMX,
    )
    incomplete = client.post(
        reverse("tracking:threshold_preview") + f"?campaign={campaign.pk}",
        threshold_form(kind="benchmark_below", target=goal.pk),
        **HTMX,
    )

    assert "Alert when Units sold is below 80% of the target, paced" in response.content.decode()
    assert "Give the benchmark value" in incomplete.content.decode()
    assert not Threshold.objects.exists()


def test_the_preview_is_refused_to_those_who_may_not_set_thresholds(client, make_user, campaign):
    client.force_login(make_user(Role.VIEWER))

    response = client.post(
        reverse("tracking:threshold_preview") + f"?campaign={campaign.pk}", threshold_form(kind="tasks_overdue")
    )

    assert response.status_code == 403
