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
    bind=True,
    name="tracking.check_thresholds",
    autoretry_for=RETRYABLE_DATABASE_ERRORS,
    retry_backoff=60,
    max_retries=3,
)
def check_thresholds(self) -> int:
    """Fan the threshold check out: cut the active thresholds into batches of
    THRESHOLD_BATCH_SIZE by id (one query) and queue one check_threshold_batch job per batch,
    on the queue this job came from, so that every worker takes batches. Returns how many."""
    ranges = evaluation.threshold_ranges()
    queue = (self.request.delivery_info or {}).get("routing_key")
    options = {"queue": queue} if queue else {}
    with self.app.producer_or_acquire() as producer:
        for first_id, last_id in ranges:
            check_threshold_batch.apply_async(args=[first_id, last_id], producer=producer, **options)
    logger.info("Threshold check: %s batches queued", len(ranges))
    return len(ranges)


@shared_task(
    name="tracking.check_threshold_batch",
    autoretry_for=RETRYABLE_DATABASE_ERRORS,
    retry_backoff=60,
    max_retries=3,
)
def check_threshold_batch(first_id: int, last_id: int | None) -> dict[str, int]:
    """Evaluate the active thresholds with ids in [first_id, last_id] (the overdue-task and
    milestone checks among them): open, keep or auto-resolve their alerts. Two runs at once,
    or a run retried after a crash, leave the same alerts: the one-open-alert constraint
    decides, and recovering is a guarded update."""
    counts = evaluation.evaluate_range(first_id=first_id, last_id=last_id).counts()
    logger.info("Threshold check of #%s–%s: %s", first_id, last_id or "", counts)
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
