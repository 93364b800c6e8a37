"""Celery jobs of notifications: sending the outbox. Thin wrappers over services; they take
ids and are safe to run twice at once (a sender claims a delivery before sending it)."""

import logging
import time

from celery import shared_task
from django.conf import settings

from . import services
from .senders import DeliveryError

logger = logging.getLogger(__name__)

# The sweep stops claiming deliveries after this long, so that one sweep ends before the
# next one starts (every minute) even when endpoints are slow; the next one goes on.
SWEEP_SECONDS = 45


@shared_task(
    bind=True,
    name=services.SEND_DELIVERY_JOB,
    # Each retry waits for the delivery's next attempt (its next_attempt_at), as the sweep
    # does: one schedule, whoever picks the delivery up. After the last one the sweep remains.
    max_retries=settings.DELIVERY_MAX_ATTEMPTS,
    # Nobody reads its result, and with Redis down a result backend would hold the publish
    # (and the request that caused it) for about 20 seconds before failing.
    ignore_result=True,
)
def send_delivery(self, delivery_id: int) -> str:
    """Send one e-mail or chat message if it is due; after a failure, retry at the delivery's
    next attempt. The delivery row counts the attempts and ends failed after the last one."""
    try:
        return services.delivery_attempt(delivery_id=delivery_id)
    except services.DeliveryPostponed as exc:
        if self.request.retries >= self.max_retries:
            logger.info("Delivery %s: the job's retries are spent; the sweep will attempt it.", delivery_id)
            return "pending"
        raise self.retry(exc=exc, eta=exc.retry_at) from exc


@shared_task(name="notifications.sweep_deliveries")
def sweep_deliveries() -> int:
    """Expire what is too old to send, then send whatever is due: a publish lost while the
    broker was down, a retry whose job vanished with its worker, a claim whose sender died.
    Returns how many it sent."""
    services.deliveries_expire()
    services.deliveries_abandon()
    sent = 0
    stop_at = time.monotonic() + SWEEP_SECONDS
    for delivery_id in services.deliveries_due():
        if time.monotonic() > stop_at:
            logger.info("Sweep out of time; the next one goes on.")
            break
        try:
            state = services.delivery_attempt(delivery_id=delivery_id)
        except DeliveryError as exc:
            logger.info("Delivery %s still failing: %s", delivery_id, exc)
            continue
        sent += state == "sent"
    return sent
