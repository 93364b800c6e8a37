"""A job whose worker is killed with -9 mid-job is not lost: jobs are acknowledged when they
end, and Redis hands an unacknowledged message out again once the visibility timeout has
passed, to the restarted worker."""

import time

import pytest
from django.conf import settings

from config.celery import app
from tests.config.real_worker import private_queue, start_worker, wait_for
from tests.config.slow_jobs import run_once_slowly

pytestmark = pytest.mark.redis

VISIBILITY_TIMEOUT = 6


def test_the_visibility_timeout_is_set_longer_than_the_hard_limit_and_shorter_than_an_hour():
    assert settings.CELERY_TASK_TIME_LIMIT < settings.CELERY_VISIBILITY_TIMEOUT < 3600
    assert app.conf.broker_transport_options["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT
    assert settings.CELERY_TASK_ACKS_LATE


def test_a_job_whose_worker_is_killed_is_run_again_by_the_restarted_worker(tmp_path):
    queue, trace = private_queue(), tmp_path / "trace"
    env = {
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "CELERY_TASK_SOFT_TIME_LIMIT": "4",
        "CELERY_TASK_TIME_LIMIT": "5",
    }
    first = start_worker(tmp_path / "first.log", queue, **env)
    try:
        first.wait_until_ready()
        run_once_slowly.apply_async(args=[str(trace), 60], queue=queue)
        wait_for(lambda: trace.exists(), timeout=30, what="the job starting")
    finally:
        first.kill()
    killed_at = time.time()
    assert "finished" not in trace.read_text()

    second = start_worker(tmp_path / "second.log", queue, **env)
    try:
        second.wait_until_ready()
        wait_for(lambda: "finished" in trace.read_text(), timeout=VISIBILITY_TIMEOUT + 30, what="the job's rerun")
    finally:
        second.stop()
    runs = [line.split() for line in trace.read_text().splitlines()]
    assert [word for word, _ in runs] == ["started", "started", "finished"], runs
    # Handed out again once the visibility timeout had passed since the first worker took
    # it (about a second before the kill), not before: a live worker's job is not doubled.
    rerun_after = float(runs[1][1]) - killed_at
    assert VISIBILITY_TIMEOUT - 2 < rerun_after < VISIBILITY_TIMEOUT + 30, rerun_after
