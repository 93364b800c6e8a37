"""Sending the outbox against a real (local) webhook endpoint: retries until it answers, one
message however often a delivery is attempted, and a delivery that never goes through ends
failed where administrators see it."""

import threading
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from notifications import jobs as notification_jobs
from notifications import services as notification_services
from notifications.models import Delivery, DeliveryChannel, DeliveryState
from notifications.senders import DeliveryError
from tests.factories import CampaignFactory, ChatWebhookFactory, UserFactory
from tests.notifications.webhook_server import WebhookServer

pytestmark = pytest.mark.django_db


def chat_delivery(url: str, kind: str = "generic") -> Delivery:
    """Tell a campaign's chat group, listening at url, about the campaign; its one chat delivery."""
    campaign = CampaignFactory(owner=UserFactory(notify_by_email=False))
    ChatWebhookFactory(name="Launch group", kind=kind, url=url, scope=campaign)
    with transaction.atomic():  # as notify's callers do: it writes the outbox in their transaction
        notification_services.notify(
            recipients=[campaign.owner],
            kind="campaign_behind",
            subject=campaign,
            wording=lambda language, recipient: ("Units sold at 62%", "Observed 31,000, expected 40,000."),
            webhook_scopes=[campaign],
        )
    return Delivery.objects.get(channel=DeliveryChannel.WEBHOOK, webhook__url=url)


def attempt_until_done(delivery: Delivery, *, limit: int = 20) -> tuple[str, int]:
    """Attempt as the job's retries would, each at the delivery's next attempt (the clock
    moved on to it), until an attempt does not ask for another one. Returns the last state
    and how many attempts failed and asked to be retried."""
    retried = 0
    for _ in range(limit):
        due = Delivery.objects.get(pk=delivery.pk).next_attempt_at
        try:
            return notification_services.delivery_attempt(
                delivery_id=delivery.pk, now=max(due, timezone.now())
            ), retried
        except DeliveryError:
            retried += 1
    raise AssertionError(f"still retrying after {limit} attempts")


# Retries ------------------------------------------------------------------------------------


def test_a_webhook_that_fails_three_times_then_succeeds_gets_exactly_one_message():
    with WebhookServer(platform="dingtalk", fail_first=3) as server:
        delivery = chat_delivery(server.url, kind="dingtalk")

        state, retried = attempt_until_done(delivery)

    assert (state, retried) == (DeliveryState.SENT, 3)
    assert len(server.requests) == 4
    assert len(server.accepted) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (DeliveryState.SENT, 4, "")
    assert delivery.sent_at is not None


def test_each_failed_attempt_is_recorded_and_the_next_one_waits_longer():
    with WebhookServer(always_fail=True) as server:
        delivery = chat_delivery(server.url)
        waits = []
        for attempt in (1, 2, 3):
            now = delivery.next_attempt_at
            with pytest.raises(DeliveryError):
                notification_services.delivery_attempt(delivery_id=delivery.pk, now=now)
            delivery.refresh_from_db()
            assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, attempt)
            assert "HTTP 500 from Launch group" in delivery.last_error
            waits.append(delivery.next_attempt_at - now)

    first = settings.DELIVERY_RETRY_BACKOFF_SECONDS
    assert waits == [timedelta(seconds=first), timedelta(seconds=2 * first), timedelta(seconds=4 * first)]


def test_a_webhook_that_never_succeeds_ends_failed_after_the_last_attempt_with_its_error():
    with WebhookServer(platform="wecom", always_fail=True) as server:
        delivery = chat_delivery(server.url, kind="wecom")

        state, retried = attempt_until_done(delivery)

    assert state == DeliveryState.FAILED
    assert retried == settings.DELIVERY_MAX_ATTEMPTS - 1
    assert len(server.requests) == settings.DELIVERY_MAX_ATTEMPTS
    delivery.refresh_from_db()
    assert delivery.attempts == settings.DELIVERY_MAX_ATTEMPTS
    assert delivery.last_error == "HTTP 500 from Launch group"
    assert delivery.sent_at is None
    assert list(Delivery.objects.filter(state=DeliveryState.FAILED)) == [delivery]


def test_a_failed_delivery_is_not_attempted_again_by_a_late_retry_or_the_sweep():
    with WebhookServer(always_fail=True) as server:
        delivery = chat_delivery(server.url)
        attempt_until_done(delivery)
        requests = len(server.requests)

        assert notification_services.delivery_attempt(delivery_id=delivery.pk) == "skipped"
        assert notification_jobs.sweep_deliveries() == 0

    assert len(server.requests) == requests
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED


def test_a_failed_delivery_is_listed_for_administrators_with_its_error(admin_user, client):
    with WebhookServer(always_fail=True) as server:
        delivery = chat_delivery(server.url)
        attempt_until_done(delivery)
    client.force_login(admin_user)

    response = client.get(reverse("admin:notifications_delivery_changelist"), {"state__exact": "failed"})

    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("admin:notifications_delivery_change", args=[delivery.pk]) in page
    assert "HTTP 500 from Launch group" in page


def test_an_administrator_sends_a_failed_delivery_again_and_it_goes_through_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr("notifications.services.publish_deliveries", queued.extend)
    with WebhookServer(always_fail=True) as server:
        delivery = chat_delivery(server.url)
        attempt_until_done(delivery)
        server.always_fail = False

        with django_capture_on_commit_callbacks(execute=True):
            notification_services.delivery_retry(delivery=delivery)
        for delivery_id in queued:
            notification_jobs.send_delivery.apply(args=[delivery_id])

    assert delivery.pk in queued
    assert len(server.accepted) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 1)


def test_attempting_a_sent_delivery_again_sends_nothing():
    with WebhookServer(platform="slack") as server:
        delivery = chat_delivery(server.url, kind="slack")
        assert notification_services.delivery_attempt(delivery_id=delivery.pk) == DeliveryState.SENT

        assert notification_services.delivery_attempt(delivery_id=delivery.pk) == "skipped"
        assert notification_jobs.sweep_deliveries() == 0

    assert len(server.requests) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


# The send job -------------------------------------------------------------------------------


def test_the_send_job_asks_to_be_retried_at_the_deliverys_next_attempt(monkeypatch):
    asked = {}

    def retry(**options):
        asked.update(options)
        return Retry()

    monkeypatch.setattr(notification_jobs.send_delivery, "retry", retry)
    with WebhookServer(platform="feishu", fail_first=3) as server:
        delivery = chat_delivery(server.url, kind="feishu")

        result = notification_jobs.send_delivery.apply(args=[delivery.pk])

    delivery.refresh_from_db()
    assert result.state == "RETRY"
    assert asked["eta"] == delivery.next_attempt_at
    assert (delivery.state, delivery.attempts, len(server.requests)) == (DeliveryState.PENDING, 1, 1)


def test_the_send_jobs_retry_arriving_before_the_next_attempt_sends_nothing():
    # Run eagerly, Celery replays the retry at once, ignoring its time: it finds the
    # delivery not yet due and leaves it to its schedule.
    with WebhookServer(platform="feishu", fail_first=3) as server:
        delivery = chat_delivery(server.url, kind="feishu")

        result = notification_jobs.send_delivery.apply(args=[delivery.pk])

    assert result.get() == "skipped"
    assert len(server.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 1)


def test_the_send_job_stops_when_the_delivery_has_failed_for_good():
    with WebhookServer(always_fail=True) as server:
        delivery = chat_delivery(server.url)
        Delivery.objects.filter(pk=delivery.pk).update(attempts=settings.DELIVERY_MAX_ATTEMPTS - 1)

        result = notification_jobs.send_delivery.apply(args=[delivery.pk])

    assert result.get() == DeliveryState.FAILED
    assert len(server.requests) == 1


def test_the_send_job_retries_at_least_as_often_as_a_delivery_may_be_attempted():
    # Otherwise the job would give up while the delivery is still pending (the sweep would
    # then have to finish the job's work).
    assert notification_jobs.send_delivery.max_retries + 1 >= settings.DELIVERY_MAX_ATTEMPTS


def test_the_send_job_run_twice_sends_one_message():
    with WebhookServer() as server:
        delivery = chat_delivery(server.url)

        first = notification_jobs.send_delivery.apply(args=[delivery.pk]).get()
        second = notification_jobs.send_delivery.apply(args=[delivery.pk]).get()

    assert (first, second) == (DeliveryState.SENT, "skipped")
    assert len(server.requests) == 1


def test_the_send_job_returns_quietly_when_the_delivery_is_gone():
    assert notification_jobs.send_delivery.apply(args=[987654]).get() == "skipped"


# The sweep ----------------------------------------------------------------------------------


def test_the_sweep_leaves_a_delivery_whose_next_attempt_is_not_due_yet():
    with WebhookServer(fail_first=1) as server:
        delivery = chat_delivery(server.url)
        with pytest.raises(DeliveryError):
            notification_services.delivery_attempt(delivery_id=delivery.pk)

        assert notification_jobs.sweep_deliveries() == 0
        later = timezone.now() + timedelta(hours=2)
        assert notification_services.deliveries_due(now=later) == [delivery.pk]

    assert len(server.requests) == 1


def test_the_sweep_goes_on_past_a_delivery_that_still_fails():
    with WebhookServer(always_fail=True) as broken, WebhookServer() as working:
        failing = chat_delivery(broken.url)
        healthy = chat_delivery(working.url)
        Delivery.objects.filter(pk=failing.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=5))

        sent = notification_jobs.sweep_deliveries()

    assert sent == 1
    assert len(working.accepted) == 1
    failing.refresh_from_db()
    healthy.refresh_from_db()
    assert (failing.state, failing.attempts) == (DeliveryState.PENDING, 1)
    assert healthy.state == DeliveryState.SENT


# Two workers at once ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_attempts_at_once_send_one_message():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (select_for_update is a no-op); run with a PostgreSQL DATABASE_URL")
    hold = threading.Event()
    with WebhookServer(hold=hold) as server:
        delivery = chat_delivery(server.url)
        outcome = {}

        def first_worker():
            try:
                outcome["first"] = notification_services.delivery_attempt(delivery_id=delivery.pk)
            finally:
                connection.close()

        worker = threading.Thread(target=first_worker)
        worker.start()
        # The first worker holds the delivery's row lock while the endpoint keeps it waiting.
        assert server.arrived.wait(timeout=10)

        outcome["second"] = notification_services.delivery_attempt(delivery_id=delivery.pk)
        hold.set()
        worker.join(timeout=30)

    assert outcome == {"first": DeliveryState.SENT, "second": "skipped"}
    assert len(server.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 1)
