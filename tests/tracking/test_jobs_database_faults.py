"""The check retries when the database refuses writes for a while (a failover, a read-only
replica promoted late), as it does when a connection drops: it does not die with a traceback."""

import pytest

from core.database_faults import RETRYABLE_DATABASE_ERRORS
from tests.database_faults import read_only_database
from tracking import evaluation, jobs


@pytest.mark.django_db(transaction=True)
def test_a_check_that_meets_a_read_only_database_is_retried_and_opens_the_alert(breaching, frozen, monkeypatch):
    attempts = []
    evaluate_all = evaluation.evaluate_all

    def read_only_the_first_time(*args, **kwargs):
        attempts.append(len(attempts) + 1)
        if len(attempts) == 1:
            with read_only_database():
                return evaluate_all(*args, **kwargs)
        return evaluate_all(*args, **kwargs)

    monkeypatch.setattr(evaluation, "evaluate_all", read_only_the_first_time)

    result = jobs.check_threshold_batch.apply(args=[breaching.pk, None])

    assert result.successful(), result.traceback
    assert attempts == [1, 2]
    assert result.get()["opened"] == 1
    assert breaching.alerts.unresolved().count() == 1


@pytest.mark.parametrize(
    "job", [jobs.check_thresholds, jobs.check_threshold_batch, jobs.escalate_alerts, jobs.daily_digest]
)
def test_every_tracking_job_retries_a_database_out_of_reach_or_read_only(job):
    assert set(job.autoretry_for) == set(RETRYABLE_DATABASE_ERRORS)
    assert job.max_retries >= 3
