"""One schedule decides when a delivery is attempted: its next_attempt_at, whoever picks it up
(the send job, its retry, the minute sweep). The waits are the configured backoff (30, 60, 120,
240, 480 s) and the last attempt fails about 15 minutes after the first."""

from datetime import timedelta

import pytest
from django.conf import settings

from notifications import services as notification_services
from notifications.models import Delivery, DeliveryState
from notifications.senders import DeliveryError
from tests.factories import ChatDeliveryFactory
from tests.notifications.webhook_server import WebhookServer

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)


def failed_once(server: WebhookServer) -> Delivery:
    delivery = ChatDeliveryFactory(webhook__url=server.url)
    with pytest.raises(DeliveryError):
        notification_services.delivery_attempt(delivery_id=delivery.pk, now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    return delivery


def test_a_delivery_is_not_attempted_one_second_before_its_next_attempt_and_is_at_it():
    with WebhookServer(fail_first=1) as server:
        delivery = failed_once(server)
        due = delivery.next_attempt_at

        early = notification_services.delivery_attempt(delivery_id=delivery.pk, now=due - SECOND)
        assert notification_services.deliveries_due(now=due - SECOND) == []
        assert notification_services.deliveries_due(now=due) == [delivery.pk]
        on_time = notification_services.delivery_attempt(delivery_id=delivery.pk, now=due)

    assert (early, on_time) == ("skipped", DeliveryState.SENT)
    assert len(server.requests) == 2
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 2)


def test_the_jobs_retry_and_the_sweep_both_picking_a_due_delivery_up_send_it_once():
    with WebhookServer(fail_first=1) as server:
        delivery = failed_once(server)
        due = delivery.next_attempt_at

        by_retry = notification_services.delivery_attempt(delivery_id=delivery.pk, now=due)
        by_sweep = notification_services.delivery_attempt(delivery_id=delivery.pk, now=due + SECOND)

    assert (by_retry, by_sweep) == (DeliveryState.SENT, "skipped")
    assert len(server.accepted) == 1


def test_attempts_wait_the_configured_backoff_and_the_last_one_fails_about_15_minutes_after_the_first():
    assert (settings.DELIVERY_MAX_ATTEMPTS, settings.DELIVERY_RETRY_BACKOFF_SECONDS) == (6, 30)
    with WebhookServer(always_fail=True) as server:
        delivery = ChatDeliveryFactory(webhook__url=server.url)
        first = now = delivery.next_attempt_at
        gaps, states = [], []
        for _ in range(settings.DELIVERY_MAX_ATTEMPTS):
            # A sweep a second before the attempt is due sends nothing.
            assert notification_services.delivery_attempt(delivery_id=delivery.pk, now=now - SECOND) == "skipped"
            try:
                states.append(notification_services.delivery_attempt(delivery_id=delivery.pk, now=now))
            except DeliveryError:
                delivery.refresh_from_db()
                states.append(delivery.state)
                gaps.append((delivery.next_attempt_at - now).total_seconds())
                now = delivery.next_attempt_at
        after_the_last = notification_services.delivery_attempt(delivery_id=delivery.pk, now=now + timedelta(hours=1))

    assert gaps == [30, 60, 120, 240, 480]
    assert states == [DeliveryState.PENDING] * 5 + [DeliveryState.FAILED]
    assert now - first == timedelta(seconds=930)
    assert after_the_last == "skipped"
    assert len(server.requests) == 6


def test_the_backoff_doubles_from_the_configured_first_wait(settings):
    settings.DELIVERY_RETRY_BACKOFF_SECONDS = 5

    waits = [notification_services.delivery_backoff(attempt).total_seconds() for attempt in (1, 2, 3, 4)]

    assert waits == [5, 10, 20, 40]
