"""Celery jobs of notifications: sending the outbox. Thin wrappers over services; they take
ids and are safe to run twice at once (the row lock decides)."""

import logging

from celery import shared_task
from django.conf import settings

from . import services
from .senders import DeliveryError

logger = logging.getLogger(__name__)


@shared_task(
    name=services.SEND_DELIVERY_JOB,
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


@shared_task(name="notifications.sweep_deliveries")
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
