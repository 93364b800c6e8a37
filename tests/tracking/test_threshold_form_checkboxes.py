"""The threshold form's checkboxes (active, paced) default to on: a post that leaves one out
keeps the default (or, on an edit, the saved value), while a browser's unchecked box, which
sends the box's marker without the box, switches it off."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.api import url
from tracking.models import Threshold

from .pages import threshold_form

pytestmark = pytest.mark.django_db


def create(client, campaign, **fields):
    return client.post(reverse("tracking:threshold_create", args=[campaign.pk]), threshold_form(**fields))


def attainment(goal, **fields) -> dict:
    return {"kind": "attainment_below", "target": goal.pk, "percent": "80", **fields}


def test_a_post_without_is_active_saves_an_active_threshold(client, manager, campaign, goal):
    client.force_login(manager)

    response = create(client, campaign, **attainment(goal, is_active=None, paced="on"))

    assert response.status_code == 302
    assert Threshold.objects.get().is_active is True


def test_a_post_without_paced_saves_a_paced_threshold(client, manager, campaign, goal):
    client.force_login(manager)

    create(client, campaign, **attainment(goal, paced=None))

    assert Threshold.objects.get().paced is True


def test_a_browsers_unchecked_box_saves_an_inactive_threshold(client, manager, campaign, goal):
    client.force_login(manager)

    # An unchecked box is not posted; its marker is.
    create(client, campaign, **attainment(goal, is_active=None, **{"is_active-shown": "1"}))

    assert Threshold.objects.get().is_active is False


def test_a_browsers_unchecked_paced_box_saves_a_plain_threshold(client, manager, campaign, goal):
    client.force_login(manager)

    create(client, campaign, **attainment(goal, paced=None, **{"paced-shown": "1"}))

    assert Threshold.objects.get().paced is False


def test_a_browsers_checked_box_saves_an_active_threshold(client, manager, campaign, goal):
    client.force_login(manager)

    create(client, campaign, **attainment(goal, is_active="on", **{"is_active-shown": "1"}))

    assert Threshold.objects.get().is_active is True


def test_an_edit_that_leaves_is_active_out_keeps_a_switched_off_threshold_off(client, manager, campaign, goal):
    threshold = Threshold.objects.create(
        kind="attainment_below", target=goal, campaign=campaign, percent=Decimal(80), is_active=False
    )
    client.force_login(manager)

    response = client.post(
        reverse("tracking:threshold_edit", args=[threshold.pk]),
        threshold_form(**attainment(goal, percent="70", is_active=None, paced="on")),
    )

    assert response.status_code == 302
    threshold.refresh_from_db()
    assert (threshold.percent, threshold.is_active) == (Decimal(70), False)


def test_an_edit_whose_box_is_unchecked_switches_the_threshold_off(client, manager, campaign, goal):
    threshold = Threshold.objects.create(kind="attainment_below", target=goal, campaign=campaign, percent=Decimal(80))
    client.force_login(manager)

    client.post(
        reverse("tracking:threshold_edit", args=[threshold.pk]),
        threshold_form(**attainment(goal, is_active=None, paced="on", **{"is_active-shown": "1"})),
    )

    threshold.refresh_from_db()
    assert threshold.is_active is False


def test_the_form_page_posts_a_marker_beside_each_box(client, manager, campaign):
    client.force_login(manager)

    html = client.get(reverse("tracking:threshold_create", args=[campaign.pk])).content.decode()

    assert '<input type="hidden" name="is_active-shown" value="1">' in html
    assert '<input type="hidden" name="paced-shown" value="1">' in html
    assert 'name="is_active"' in html
    assert "checked" in html[html.index('name="is_active"') - 200 : html.index('name="is_active"') + 200]


def test_a_form_post_to_the_api_without_is_active_creates_an_active_threshold(client_as, manager, goal):
    response = client_as(manager).post(
        url("threshold-list"), {"kind": "attainment_below", "target": goal.pk, "percent": "80"}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["is_active"] is True
    assert Threshold.objects.get().is_active is True
