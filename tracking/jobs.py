"""Celery jobs of tracking: thin wrappers over services. They take ids, are safe to run twice
at once (constraints and guarded updates decide), and declare their retries."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import checks, digest, services
from .senders import DeliveryError

logger = logging.getLogger(__name__)


@shared_task(
    name="tracking.send_delivery",
    autoretry_for=(DeliveryError,),
    retry_backoff=settings.DELIVERY_RETRY_BACKOFF_SECONDS,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=10,
    # Nobody reads its result, and with Redis down a result backend would hold the publish
    # (and the request that caused it) for about 20 seconds before failing.
    ignore_result=True,
)
def send_delivery(delivery_id: int) -> str:
    """Send one e-mail or chat message; retried with exponential backoff and jitter. The
    delivery row counts the attempts and ends failed after the last one (the job then stops)."""
    return services.delivery_attempt(delivery_id=delivery_id)


@shared_task(name="tracking.sweep_deliveries")
def sweep_deliveries() -> int:
    """Send whatever is still pending and due: a publish lost while the broker was down, or a
    retry whose job vanished with its worker."""
    sent = 0
    for delivery_id in services.deliveries_due():
        try:
            state = services.delivery_attempt(delivery_id=delivery_id)
        except DeliveryError as exc:
            logger.info("Delivery %s still failing: %s", delivery_id, exc)
            continue
        sent += state == "sent"
    return sent


@shared_task(name="tracking.escalate_alerts")
def escalate_alerts() -> int:
    """Escalate, once, every alert not acknowledged within the response time."""
    return services.escalate_overdue_alerts()


@shared_task(
    name="tracking.check_thresholds",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=60,
    max_retries=3,
)
def check_thresholds() -> dict[str, int]:
    """Evaluate every active threshold in bounded batches (also the overdue-task and
    milestone checks): open, keep or auto-resolve alerts. Two runs at once, or a run retried
    after a crash, leave the same alerts: the one-open-alert constraint decides."""
    counts = checks.evaluate_all().counts()
    logger.info("Threshold check: %s", counts)
    return counts


@shared_task(
    name="tracking.daily_digest",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=60,
    max_retries=3,
)
def daily_digest() -> int:
    """Send each person their digest of the day (overdue tasks, tasks due today, open alerts
    waiting for them), once a day: a second run the same day sends nothing."""
    return digest.send_daily_digests()
