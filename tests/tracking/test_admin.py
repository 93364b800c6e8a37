"""The admin of tracking and notifications: a list for every model, and failed deliveries sent again."""

import pytest
from django.urls import reverse

from notifications.models import Delivery, DeliveryChannel, DeliveryState

from ..factories import attainment_threshold, open_alert

pytestmark = pytest.mark.django_db


def test_administrators_see_failed_deliveries_and_send_them_again(
    client, admin_user, goal, django_capture_on_commit_callbacks
):
    alert = open_alert(attainment_threshold(goal))
    failed = Delivery.objects.create(
        channel=DeliveryChannel.EMAIL,
        subject=alert,
        kind="alert_opened",
        state=DeliveryState.FAILED,
        attempts=6,
        last_error="SMTP 550 mailbox unavailable",
    )
    Delivery.objects.create(channel=DeliveryChannel.EMAIL, subject=alert, kind="alert_opened", state=DeliveryState.SENT)
    client.force_login(admin_user)
    changelist = reverse("admin:notifications_delivery_changelist")

    listed = client.get(changelist, {"state__exact": "failed"})
    with django_capture_on_commit_callbacks() as queued:
        client.post(changelist, {"action": "send_again", "_selected_action": [failed.pk]})

    assert list(listed.context["cl"].result_list) == [failed]
    assert "SMTP 550" in listed.content.decode()
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (DeliveryState.PENDING, 0)
    assert len(queued) == 1


@pytest.mark.parametrize(
    "model",
    [
        "tracking_threshold",
        "tracking_alert",
        "tracking_issue",
        "notifications_notification",
        "notifications_delivery",
        "notifications_chatwebhook",
    ],
)
def test_every_tracking_and_notifications_model_has_an_admin_list(client, admin_user, goal, model):
    open_alert(attainment_threshold(goal))
    client.force_login(admin_user)

    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
