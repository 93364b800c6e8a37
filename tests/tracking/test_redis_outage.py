"""Nothing is lost when the machinery around a request fails: a worker that dies before it
publishes, a broker (Redis) that is down, and a real worker retrying a failing webhook."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse

from accounts.models import Role
from config.celery import app
from notifications import jobs as notification_jobs
from notifications import services as notification_services
from notifications.models import Delivery, DeliveryChannel, DeliveryState
from plans.models import AnnualPlan
from tests.config.real_worker import worker_database_url
from tests.notifications.webhook_server import WebhookServer

from ..factories import CampaignFactory, ChatWebhookFactory, ThresholdFactory, UserFactory, open_alert

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
# Nothing listens on port 1: connections are refused at once, as when Redis is down.
REDIS_DOWN = "redis://127.0.0.1:1/0"


def campaign_with_chat_group(url: str):
    campaign = CampaignFactory(owner=UserFactory(username="owner"))
    ChatWebhookFactory(name="Launch group", kind="generic", url=url, scope=campaign)
    return campaign, ThresholdFactory(target__campaign=campaign)


# A worker killed between opening an alert and notifying ------------------------------------


def test_a_worker_killed_after_opening_an_alert_still_notifies_once_through_the_sweep(
    django_capture_on_commit_callbacks,
):
    with WebhookServer() as server:
        campaign, threshold = campaign_with_chat_group(server.url)
        # The check commits the alert with its outbox, then dies before its after-commit
        # publish runs: the callbacks are captured and never executed.
        with django_capture_on_commit_callbacks(execute=False) as never_run, transaction.atomic():
            alert = open_alert(threshold)
        assert len(never_run) == 1  # the publish of both deliveries
        pending = Delivery.objects.filter(alert=alert, state=DeliveryState.PENDING)
        assert pending.count() == 2

        sent = notification_jobs.sweep_deliveries()

        assert sent == 2
        assert len(server.accepted) == 1
        assert [message.to for message in mail.outbox] == [[campaign.owner.email]]

        assert notification_jobs.sweep_deliveries() == 0
        # The lost publish, had it been replayed later, would find nothing left to send.
        for delivery in Delivery.objects.filter(alert=alert):
            assert notification_jobs.send_delivery.apply(args=[delivery.pk]).get() == "skipped"

    assert len(server.requests) == 1
    assert len(mail.outbox) == 1
    assert set(Delivery.objects.values_list("state", "attempts")) == {(DeliveryState.SENT, 1)}


def test_the_sweep_run_twice_at_once_sends_each_pending_delivery_once(django_capture_on_commit_callbacks):
    with WebhookServer() as server:
        _, threshold = campaign_with_chat_group(server.url)
        with django_capture_on_commit_callbacks(execute=False):
            open_alert(threshold)

        first, second = notification_jobs.sweep_deliveries(), notification_jobs.sweep_deliveries()

    assert (first, second) == (2, 0)
    assert len(server.requests) == 1


# Redis down ---------------------------------------------------------------------------------


def _forget_connections() -> None:
    # The app keeps its broker connection pool and result backend once made; drop them so
    # the next publish connects to whatever the configuration now says.
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@contextmanager
def redis_down(settings):
    """Point the broker, the result backend and the cache at a port where nothing listens;
    put the real ones back afterwards ("Redis returns")."""
    saved = {
        "broker_url": app.conf.broker_url,
        "result_backend": app.conf.result_backend,
        "broker_transport": app.conf.broker_transport,
    }
    settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = REDIS_DOWN
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_DOWN}}
    # Without Redis the settings name the filesystem transport outright; Redis it is now.
    app.conf.update(broker_url=REDIS_DOWN, result_backend=REDIS_DOWN, broker_transport=None)
    _forget_connections()
    try:
        yield
    finally:
        app.conf.update(**saved)
        _forget_connections()


def test_with_redis_down_alerts_open_pages_answer_and_the_sweep_sends_once_redis_is_back(
    settings, client, api_client, make_user, django_capture_on_commit_callbacks, caplog
):
    manager = make_user(Role.MARKETING_MANAGER, username="manager")
    with WebhookServer() as server:
        campaign, threshold = campaign_with_chat_group(server.url)
        with redis_down(settings):
            # A request that opens an alert: the publish after commit fails, quickly and quietly.
            started = time.monotonic()
            with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
                alert = open_alert(threshold)
            took = time.monotonic() - started

            # One callback publishes the e-mail and the chat message: one failure, logged once.
            assert len(callbacks) == 1
            assert caplog.text.count("Could not queue 2 deliveries") == 1
            assert caplog.text.count("the sweep will send them") == 1
            assert took < 10, f"opening the alert waited {took:.1f}s on the broker"
            assert set(Delivery.objects.values_list("state", "attempts")) == {(DeliveryState.PENDING, 0)}

            # Pages and the API keep working, and what people record is kept.
            client.force_login(campaign.owner)
            assert client.get(reverse("dashboard")).status_code == 200
            assert client.get(alert.get_absolute_url()).status_code == 200
            api_client.force_authenticate(manager)
            assert api_client.get("/api/v1/departments/").status_code == 200
            assert api_client.get("/api/v1/alerts/").status_code == 200
            created = api_client.post("/api/v1/plans/", {"year": 2027, "title": "2027 plan"})
            assert created.status_code == 201, created.content
            # The health check says what is wrong.
            health = client.get(reverse("healthz"))
            assert (health.status_code, health.json()["broker"]) == (503, "unreachable")
            assert server.requests == []

        # Redis is back: the next sweep sends what waited.
        assert notification_jobs.sweep_deliveries() == 2
        assert notification_jobs.sweep_deliveries() == 0

    assert len(server.accepted) == 1
    assert len(mail.outbox) == 1
    assert AnnualPlan.objects.filter(title="2027 plan").exists()
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


# A real worker against the real Redis -------------------------------------------------------


@contextmanager
def celery_worker(tmp_path, **env):
    """A worker of this test's own on a private queue (so no other worker takes its jobs),
    using the test database, whose data the test must have committed."""
    queue = f"test-{uuid.uuid4().hex}"
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--queues",
                queue,
                "--pool",
                "solo",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
            ],
            cwd=BASE_DIR,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "DATABASE_URL": worker_database_url(),
                **env,
            },
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield queue, log
        finally:
            worker.terminate()
            worker.wait(timeout=30)


def wait_for_state(delivery: Delivery, *, timeout: float = 60) -> Delivery:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        delivery.refresh_from_db()
        if delivery.state not in (DeliveryState.PENDING, DeliveryState.SENDING):
            return delivery
        time.sleep(0.2)
    raise AssertionError(f"delivery still pending after {timeout}s (attempts: {delivery.attempts})")


def committed_chat_delivery(url: str, monkeypatch) -> Delivery:
    # Commits as it goes (a transactional test); the publish after commit is the test's own,
    # to its private queue, so the default queue of the real Redis stays untouched.
    monkeypatch.setattr(notification_services, "publish_deliveries", lambda *args, **kwargs: None)
    _, threshold = campaign_with_chat_group(url)
    alert = open_alert(threshold)
    return Delivery.objects.get(alert=alert, channel=DeliveryChannel.WEBHOOK)


def _real_worker_can_share_the_database() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the worker process cannot see an SQLite test database; run with a PostgreSQL DATABASE_URL")


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_retries_a_webhook_that_fails_twice_and_delivers_one_message(tmp_path, monkeypatch):
    _real_worker_can_share_the_database()
    with WebhookServer(fail_first=2) as server:
        delivery = committed_chat_delivery(server.url, monkeypatch)
        with celery_worker(tmp_path, DELIVERY_RETRY_BACKOFF_SECONDS="1", DELIVERY_MAX_ATTEMPTS="4") as (queue, log):
            notification_jobs.send_delivery.apply_async(args=[delivery.pk], queue=queue)

            delivery = wait_for_state(delivery)

    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 3), log.read_text()[-3000:]
    assert len(server.requests) == 3
    assert len(server.accepted) == 1
    # The job waited for the delivery's next attempt (its retry names the time).
    assert "Retry at" in log.read_text()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_gives_up_on_a_webhook_that_never_succeeds_and_leaves_it_failed(tmp_path, monkeypatch):
    _real_worker_can_share_the_database()
    with WebhookServer(always_fail=True) as server:
        delivery = committed_chat_delivery(server.url, monkeypatch)
        with celery_worker(tmp_path, DELIVERY_RETRY_BACKOFF_SECONDS="1", DELIVERY_MAX_ATTEMPTS="3") as (queue, log):
            notification_jobs.send_delivery.apply_async(args=[delivery.pk], queue=queue)

            delivery = wait_for_state(delivery)
            # A retry still on its way, or a sweep, would not send it again.
            time.sleep(1)

    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, 3), log.read_text()[-3000:]
    assert delivery.last_error == "HTTP 500 from Launch group"
    assert len(server.requests) == 3
