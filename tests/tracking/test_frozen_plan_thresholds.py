"""No threshold is added to a closed (frozen) plan or changed in it, through the services, the
API or the pages, and the refusal says why; an active one can still be switched off, so a
closed plan stops raising alerts when its people want it to."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from plans.models import PlanStatus
from tests.api import url
from tracking.models import Threshold, ThresholdKind
from tracking.services import thresholds

from .pages import threshold_form

pytestmark = pytest.mark.django_db

CLOSED = "is closed, so it is frozen"


def close(plan):
    plan.status = PlanStatus.CLOSED
    plan.save()


def test_no_threshold_is_created_on_a_goal_of_a_closed_plan(campaign, goal):
    close(campaign.plan)

    with pytest.raises(ValidationError) as error:
        thresholds.threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=goal, percent=Decimal(80))

    assert CLOSED in error.value.message_dict["plan"][0]
    assert not Threshold.objects.exists()


def test_no_threshold_of_a_closed_plan_is_changed_or_switched_back_on(campaign, goal):
    threshold = thresholds.threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign, is_active=False)
    close(campaign.plan)

    with pytest.raises(ValidationError, match=CLOSED):
        thresholds.threshold_update(threshold=threshold, min_count=3)
    with pytest.raises(ValidationError, match=CLOSED):
        thresholds.threshold_set_active(threshold=threshold, active=True)

    threshold.refresh_from_db()
    assert (threshold.min_count, threshold.is_active) == (None, False)


def test_a_threshold_of_a_closed_plan_can_still_be_switched_off(client, manager, campaign):
    threshold = thresholds.threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)
    close(campaign.plan)
    client.force_login(manager)

    client.post(reverse("tracking:threshold_deactivate", args=[threshold.pk]))

    threshold.refresh_from_db()
    assert threshold.is_active is False


def test_the_api_refuses_a_threshold_in_a_closed_plan_saying_why(client_as, campaign):
    close(campaign.plan)

    response = client_as(Role.MARKETING_MANAGER).post(
        url("threshold-list"), {"kind": "tasks_overdue", "campaign": campaign.pk}, format="json"
    )

    assert response.status_code == 400
    assert CLOSED in response.json()["plan"][0]
    assert not Threshold.objects.exists()


def test_the_page_refuses_a_threshold_in_a_closed_plan_saying_why(client, manager, campaign):
    close(campaign.plan)
    client.force_login(manager)

    response = client.post(
        reverse("tracking:threshold_create", args=[campaign.pk]), threshold_form(kind="tasks_overdue")
    )

    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert not Threshold.objects.exists()


def test_the_threshold_page_of_a_closed_plan_warns_up_front(client, manager, campaign):
    close(campaign.plan)
    client.force_login(manager)

    html = client.get(reverse("tracking:threshold_create", args=[campaign.pk])).content.decode()

    assert 'id="frozen-warning"' in html


def test_a_closed_plans_alert_section_offers_no_new_threshold(client, manager, campaign):
    thresholds.threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)
    close(campaign.plan)
    client.force_login(manager)

    html = client.get(reverse("tracking:campaign_alerts", args=[campaign.pk])).content.decode()

    assert 'id="add-threshold"' not in html
    assert "Switch off" in html
