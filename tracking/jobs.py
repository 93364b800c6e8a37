"""Celery jobs of tracking: thin wrappers over services. They take ids, are safe to run twice
at once (constraints and guarded updates decide), and declare their retries: a database out of
reach or read-only for a while (core.database_faults) is retried with backoff."""

import logging

from celery import shared_task

from core.database_faults import RETRYABLE_DATABASE_ERRORS

from . import evaluation
from .services import alerts, digest, issues, weekly_logs

logger = logging.getLogger(__name__)


@shared_task(
    name="tracking.escalate_alerts",
    autoretry_for=RETRYABLE_DATABASE_ERRORS,
    retry_backoff=60,
    max_retries=3,
)
def escalate_alerts() -> int:
    """Escalate, once, every alert not acknowledged within the response time."""
    return alerts.escalate_overdue_alerts()


@shared_task(
    name="tracking.check_thresholds",
    autoretry_for=RETRYABLE_DATABASE_ERRORS,
    retry_backoff=60,
    max_retries=3,
)
def check_thresholds() -> dict[str, int]:
    """Evaluate every active threshold in bounded batches (also the overdue-task and
    milestone checks): open, keep or auto-resolve alerts. Two runs at once, or a run retried
    after a crash, leave the same alerts: the one-open-alert constraint decides."""
    counts = evaluation.evaluate_all().counts()
    logger.info("Threshold check: %s", counts)
    return counts


@shared_task(
    name="tracking.daily_digest",
    autoretry_for=RETRYABLE_DATABASE_ERRORS,
    retry_backoff=60,
    max_retries=3,
)
def daily_digest() -> int:
    """Send each person their digest of the day (overdue tasks, tasks due today, open alerts
    waiting for them), once a day: a second run the same day sends nothing."""
    return digest.send_daily_digests()


@shared_task(
    name="tracking.draft_weekly_logs",
    autoretry_for=RETRYABLE_DATABASE_ERRORS,
    retry_backoff=60,
    max_retries=3,
)
def draft_weekly_logs() -> int:
    """Draft this week's progress log of every executing campaign (Friday afternoon by
    default): a campaign whose log is there already keeps it, so a second run drafts nothing."""
    return weekly_logs.draft_weekly_logs()


@shared_task(
    name="tracking.notify_overdue_issues",
    autoretry_for=RETRYABLE_DATABASE_ERRORS,
    retry_backoff=60,
    max_retries=3,
)
def notify_overdue_issues() -> int:
    """Tell the owner and the department lead of each issue that passed its deadline, once
    per deadline: a guarded update on the issue decides between two runs."""
    return issues.notify_overdue_issues()
