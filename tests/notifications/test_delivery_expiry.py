"""A delivery too old to be worth sending (a restored backup's outbox, a long outage) is marked
expired by the sweep, never sent; DELIVERY_MAX_AGE says how old is too old."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from notifications import jobs as notification_jobs
from notifications import services as notification_services
from notifications.models import Delivery, DeliveryState
from tests.factories import ChatDeliveryFactory
from tests.notifications.webhook_server import WebhookServer

pytestmark = pytest.mark.django_db


def aged(url: str, age: timedelta, **fields) -> Delivery:
    """A pending chat delivery written `age` ago and due since then."""
    written = timezone.now() - age
    return ChatDeliveryFactory(webhook__url=url, created_at=written, next_attempt_at=written, **fields)


def test_the_sweep_expires_a_delivery_just_past_the_maximum_age_and_sends_one_just_inside_it():
    now = timezone.now()
    with WebhookServer() as server:
        stale = ChatDeliveryFactory(
            webhook__url=server.url, created_at=now - settings.DELIVERY_MAX_AGE, next_attempt_at=now
        )
        fresh = ChatDeliveryFactory(
            webhook__url=server.url,
            created_at=now - settings.DELIVERY_MAX_AGE + timedelta(seconds=1),
            next_attempt_at=now,
        )

        assert notification_services.deliveries_expire(now=now) == 1
        assert notification_services.delivery_attempt(delivery_id=stale.pk, now=now) == "skipped"
        assert notification_services.delivery_attempt(delivery_id=fresh.pk, now=now) == DeliveryState.SENT

    stale.refresh_from_db()
    assert (stale.state, stale.attempts) == (DeliveryState.EXPIRED, 0)
    assert len(server.requests) == 1


def test_a_restored_backups_days_old_outbox_is_expired_by_the_sweep_not_sent():
    with WebhookServer() as server:
        old = [aged(server.url, timedelta(days=3)) for _ in range(3)]
        recent = aged(server.url, timedelta(minutes=5))

        sent = notification_jobs.sweep_deliveries()

    assert sent == 1
    assert [received.json["title"] for received in server.accepted] == [recent.title]
    states = dict(Delivery.objects.values_list("pk", "state"))
    assert {states[delivery.pk] for delivery in old} == {DeliveryState.EXPIRED}
    assert states[recent.pk] == DeliveryState.SENT


def test_the_maximum_age_comes_from_the_setting(settings):
    settings.DELIVERY_MAX_AGE = timedelta(minutes=10)
    with WebhookServer() as server:
        delivery = aged(server.url, timedelta(minutes=11))

        assert notification_jobs.sweep_deliveries() == 0

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.EXPIRED
    assert server.requests == []


def test_a_delivery_being_sent_under_a_live_claim_is_not_expired_under_its_sender():
    now = timezone.now()
    delivery = aged(
        "http://127.0.0.1:1/hook",
        settings.DELIVERY_MAX_AGE + timedelta(minutes=1),
        state=DeliveryState.SENDING,
        lease_until=now + timedelta(seconds=30),
    )

    assert notification_services.deliveries_expire(now=now) == 0
    assert notification_services.deliveries_expire(now=now + timedelta(seconds=30)) == 1

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.EXPIRED


def test_sent_and_failed_deliveries_keep_their_state_however_old():
    old = timedelta(days=30)
    sent = aged("http://127.0.0.1:1/hook", old, state=DeliveryState.SENT)
    failed = aged("http://127.0.0.1:1/hook", old, state=DeliveryState.FAILED)

    assert notification_services.deliveries_expire() == 0

    assert set(Delivery.objects.filter(pk__in=[sent.pk, failed.pk]).values_list("state", flat=True)) == {
        DeliveryState.SENT,
        DeliveryState.FAILED,
    }


def test_an_administrator_sends_an_expired_delivery_again_and_it_goes_out(django_capture_on_commit_callbacks):
    with WebhookServer() as server:
        delivery = aged(server.url, timedelta(days=3))
        notification_jobs.sweep_deliveries()

        with django_capture_on_commit_callbacks(execute=False):
            notification_services.delivery_retry(delivery=Delivery.objects.get(pk=delivery.pk))
        sent = notification_jobs.sweep_deliveries()

    assert sent == 1
    assert len(server.accepted) == 1


def test_the_expired_state_reads_in_chinese():
    with translation.override("zh-hans"):
        assert str(DeliveryState.EXPIRED.label) == "已过期"
        assert str(DeliveryState.SENDING.label) == "发送中"
