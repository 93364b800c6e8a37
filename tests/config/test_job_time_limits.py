"""Job time limits hold on the pool the README deploys (prefork), with the worker's own
limits: a job that overruns them is interrupted at the soft limit and killed at the hard one,
even when it carries on past errors and was published by a process with longer limits."""

import pytest
from django.conf import settings

from config.celery import app
from tests.config.real_worker import private_queue, start_worker, wait_for
from tests.config.slow_jobs import overrun

pytestmark = pytest.mark.redis


def test_a_job_that_overruns_the_workers_tiny_limits_is_stopped(tmp_path):
    # This process (the publisher, like beat) has the default limits; the worker 1 s and 2 s.
    assert (settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT) == (240, 300)
    assert app.conf.broker_url.startswith("redis://")
    queue, trace = private_queue(), tmp_path / "trace"
    worker = start_worker(tmp_path / "worker.log", queue, CELERY_TASK_SOFT_TIME_LIMIT="1", CELERY_TASK_TIME_LIMIT="2")
    try:
        worker.wait_until_ready()

        overrun.apply_async(args=[str(trace), 30], queue=queue)

        wait_for(lambda: trace.exists(), timeout=30, what="the job starting")
        stopped_after = wait_for(
            lambda: "Hard time limit (2s) exceeded" in worker.log.read_text(), timeout=15, what="the hard limit"
        )
    finally:
        worker.stop()
    log = worker.log.read_text()
    assert stopped_after < 5, log[-3000:]
    assert "Soft time limit (1s) exceeded" in log
    # The soft limit reached the job (which, like the check once did, carried on past it).
    assert "carried on past SoftTimeLimitExceeded" in trace.read_text()
    assert "finished" not in trace.read_text()


def test_a_published_job_carries_no_limits_of_its_own_so_the_workers_apply():
    published = {}

    def record(headers=None, **kwargs):
        published.update(headers)

    from celery.signals import before_task_publish

    before_task_publish.connect(record, weak=False)
    try:
        with app.producer_or_acquire() as producer:
            overrun.apply_async(args=["/dev/null", 0], queue=private_queue(), producer=producer)
    finally:
        before_task_publish.disconnect(record)

    assert overrun.time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert tuple(published["timelimit"]) == (None, None)
