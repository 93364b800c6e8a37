"""Celery jobs of reviews: thin wrappers over services."""

import logging
from dataclasses import asdict

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import deadlines

logger = logging.getLogger(__name__)


@shared_task(
    name="reviews.check_deadlines",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=60,
    max_retries=3,
)
def check_deadlines() -> dict[str, int]:
    """The lifecycle's daily deadlines: kickoff overdue, reviews to open, reviews overdue."""
    counts = asdict(deadlines.check_deadlines())
    logger.info("Deadlines: %s", counts)
    return counts
