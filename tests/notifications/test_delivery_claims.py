"""A sender claims a delivery (a short statement marks it "sending" with a lease), sends it
outside any transaction and without a row lock, then records the outcome in another short
statement. A sender that dies loses its claim when the lease runs out, and the sweep takes
the delivery up; senders racing for one delivery send it once."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from notifications import jobs as notification_jobs
from notifications import services as notification_services
from notifications.models import DeliveryState
from tests.factories import ChatDeliveryFactory
from tests.notifications.webhook_server import WebhookServer

pytestmark = pytest.mark.django_db

LEASE = timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
SECOND = timedelta(seconds=1)


def due_since(when, **fields):
    """A pending chat delivery written and due at `when`."""
    return ChatDeliveryFactory(created_at=when, next_attempt_at=when, **fields)


def test_a_claimed_delivery_is_sending_with_a_lease_and_no_other_sender_takes_it_meanwhile():
    delivery = ChatDeliveryFactory()
    now = timezone.now()

    claimed = notification_services.delivery_claim(delivery_id=delivery.pk, now=now)

    assert (claimed.state, claimed.attempts, claimed.lease_until) == (DeliveryState.SENDING, 1, now + LEASE)
    assert notification_services.delivery_claim(delivery_id=delivery.pk, now=now + LEASE - SECOND) is None
    assert notification_services.deliveries_due(now=now + LEASE - SECOND) == []


def test_a_dead_senders_claim_runs_out_and_the_sweep_sends_the_delivery():
    with WebhookServer() as server:
        now = timezone.now() - LEASE - SECOND
        delivery = due_since(now, webhook__url=server.url)
        # A sender claims it, then dies before sending (its worker was killed).
        notification_services.delivery_claim(delivery_id=delivery.pk, now=now)

        assert notification_services.deliveries_due(now=now + LEASE - SECOND) == []
        assert notification_services.deliveries_due(now=now + LEASE) == [delivery.pk]
        sent = notification_jobs.sweep_deliveries()

    assert sent == 1
    assert len(server.accepted) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.lease_until) == (DeliveryState.SENT, 2, None)


def test_a_dead_senders_last_allowed_attempt_ends_failed_not_sent_again():
    with WebhookServer() as server:
        now = timezone.now() - LEASE - SECOND
        delivery = due_since(now, webhook__url=server.url, attempts=settings.DELIVERY_MAX_ATTEMPTS - 1)
        notification_services.delivery_claim(delivery_id=delivery.pk, now=now)

        assert notification_jobs.sweep_deliveries() == 0

    assert server.requests == []
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert "stopped before its last attempt ended" in delivery.last_error


def test_a_sender_whose_claim_ran_out_does_not_overwrite_the_next_senders_outcome():
    with WebhookServer() as server:
        now = timezone.now() - LEASE - SECOND
        delivery = due_since(now, webhook__url=server.url)
        stale = notification_services.delivery_claim(delivery_id=delivery.pk, now=now)
        assert notification_services.delivery_attempt(delivery_id=delivery.pk) == DeliveryState.SENT

        # The first sender comes back and reports a failure: it no longer holds the claim.
        assert notification_services._record_outcome(stale, state=DeliveryState.PENDING, last_error="late") == "skipped"

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (DeliveryState.SENT, 2, "")


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_the_endpoint_is_called(monkeypatch):
    during_the_call = []
    real_post = notification_services.post_webhook

    def post_webhook(*args, **kwargs):
        during_the_call.append(transaction.get_connection().in_atomic_block)
        return real_post(*args, **kwargs)

    monkeypatch.setattr(notification_services, "post_webhook", post_webhook)
    idle_in_transaction = []

    def look_at_the_database():
        # In the server's thread (its own connection): is any session of this database
        # holding a transaction open while the endpoint answers?
        if connection.vendor == "postgresql":
            with connections["default"].cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND state LIKE 'idle in transaction%%'"
                )
                idle_in_transaction.append(cursor.fetchone()[0])
            connections["default"].close()

    with WebhookServer(on_request=look_at_the_database) as server:
        delivery = ChatDeliveryFactory(webhook__url=server.url)

        assert notification_services.delivery_attempt(delivery_id=delivery.pk) == DeliveryState.SENT

    assert during_the_call == [False]
    if connection.vendor == "postgresql":
        assert idle_in_transaction == [0]


@pytest.mark.django_db(transaction=True)
def test_four_senders_racing_for_one_delivery_send_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("threads sharing an SQLite test database are serialised; run with a PostgreSQL DATABASE_URL")
    with WebhookServer(delay=0.5) as server:
        delivery = ChatDeliveryFactory(webhook__url=server.url)
        start = threading.Barrier(4)
        outcomes = []

        def sender():
            try:
                start.wait(timeout=10)
                outcomes.append(notification_services.delivery_attempt(delivery_id=delivery.pk))
            finally:
                connection.close()

        threads = [threading.Thread(target=sender) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(outcomes) == sorted([DeliveryState.SENT, "skipped", "skipped", "skipped"])
    assert len(server.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 1)
