"""Celery jobs of tracking: thin wrappers over services. They take ids, are safe to run twice
at once (constraints and guarded updates decide), and declare their retries."""

import logging

from celery import shared_task

from . import services
from .senders import DeliveryError

logger = logging.getLogger(__name__)


@shared_task(
    name="tracking.send_delivery",
    autoretry_for=(DeliveryError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=10,
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
