"""A slow endpoint: the wait is bounded by DELIVERY_TIMEOUT_SECONDS, a timed-out attempt backs
off like a failure, the endpoint receives at most the attempt limit, spaced by the backoff, and
every attempt carries the same message id so that a receiver can drop repeats."""

import contextlib
import itertools
import socket
import time
from datetime import timedelta

import pytest
from django.core import mail

from notifications import services as notification_services
from notifications.models import Delivery, DeliveryChannel, DeliveryState
from notifications.senders import DeliveryError
from tests.factories import ChatDeliveryFactory, NotificationFactory, UserFactory
from tests.notifications.webhook_server import WebhookServer

pytestmark = pytest.mark.django_db


def test_an_endpoint_slower_than_the_timeout_is_a_failed_attempt_that_backs_off(settings):
    settings.DELIVERY_TIMEOUT_SECONDS = 0.5
    with WebhookServer(delay=3) as server:
        delivery = ChatDeliveryFactory(webhook__url=server.url)
        now = delivery.next_attempt_at
        started = time.monotonic()

        with pytest.raises(DeliveryError, match=r"did not answer within 0\.5 s"):
            notification_services.delivery_attempt(delivery_id=delivery.pk, now=now)
        waited = time.monotonic() - started

    assert waited < 2
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 1)
    assert delivery.next_attempt_at == now + timedelta(seconds=settings.DELIVERY_RETRY_BACKOFF_SECONDS)
    assert delivery.lease_until is None


def test_a_slow_endpoint_receives_at_most_the_attempt_limit_spaced_by_the_backoff(settings):
    settings.DELIVERY_TIMEOUT_SECONDS = 0.2
    settings.DELIVERY_MAX_ATTEMPTS = 3
    with WebhookServer(delay=1) as server:
        delivery = ChatDeliveryFactory(webhook__url=server.url)
        now = delivery.next_attempt_at
        attempted_at = []
        for _ in range(10):
            # Sweeps every half minute in between find it due only at its next attempt.
            for sweep in range(4):
                at = now + timedelta(seconds=30 * sweep)
                if Delivery.objects.filter(
                    pk=delivery.pk, state=DeliveryState.PENDING, next_attempt_at__lte=at
                ).exists():
                    attempted_at.append(at)
                with contextlib.suppress(DeliveryError):
                    notification_services.delivery_attempt(delivery_id=delivery.pk, now=at)
            delivery.refresh_from_db()
            now = delivery.next_attempt_at

    assert len(server.requests) == 3
    assert delivery.state == DeliveryState.FAILED
    assert [(b - a).total_seconds() for a, b in itertools.pairwise(attempted_at)] == [30, 60]


def test_every_attempt_of_a_chat_message_carries_the_same_message_id():
    with WebhookServer(fail_first=2) as server:
        delivery = ChatDeliveryFactory(webhook__url=server.url, webhook__kind="generic")
        for _ in range(3):
            due = Delivery.objects.get(pk=delivery.pk).next_attempt_at
            with contextlib.suppress(DeliveryError):
                notification_services.delivery_attempt(delivery_id=delivery.pk, now=due)

    assert len(server.requests) == 3
    assert {request.json["message_id"] for request in server.requests} == {str(delivery.key)}
    assert {request.headers["idempotency-key"] for request in server.requests} == {str(delivery.key)}
    assert ChatDeliveryFactory().key != delivery.key


def test_an_email_carries_its_deliverys_message_id():
    notification = NotificationFactory(recipient=UserFactory(email="li@example.com"))
    delivery = Delivery.objects.create(channel=DeliveryChannel.EMAIL, notification=notification, kind="alert_opened")

    assert notification_services.delivery_attempt(delivery_id=delivery.pk) == DeliveryState.SENT

    [sent] = mail.outbox
    assert sent.message()["Message-ID"] == f"<{delivery.key}@localhost>"


def test_a_mail_server_that_never_answers_is_given_up_on_after_the_timeout(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.DELIVERY_TIMEOUT_SECONDS = 0.5
    # Accepts the connection (the kernel does) but never says hello.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent.getsockname()[1]
        notification = NotificationFactory(recipient=UserFactory(email="li@example.com"))
        delivery = Delivery.objects.create(
            channel=DeliveryChannel.EMAIL, notification=notification, kind="alert_opened"
        )
        started = time.monotonic()

        with pytest.raises(DeliveryError, match=r"e-mail to li@example\.com failed"):
            notification_services.delivery_attempt(delivery_id=delivery.pk)

    assert time.monotonic() - started < 3
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 1)
