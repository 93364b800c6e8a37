"""The beat job fans the threshold check out: one job per batch of thresholds (by id range),
on the queue it came from, so that every worker takes batches and adding workers shortens
the check. Each batch job is safe to run twice at once."""

import re
from decimal import Decimal

import pytest
from django.db import connection

from config.celery import app
from notifications.models import Notification
from tests.config.real_worker import private_queue, start_worker, wait_for, worker_database_url
from tracking import jobs
from tracking.models import Alert, Threshold, ThresholdKind
from tracking.services.thresholds import threshold_create

from ..factories import CampaignFactory, TargetFactory, UserFactory, record


def _breaching_thresholds(count: int) -> list[Threshold]:
    """`count` campaigns whose sales goal is at a sixth of the target, each watched by a
    threshold (nobody gets e-mail, so nothing is queued to send)."""
    helper = UserFactory(notify_by_email=False)
    made = []
    for _ in range(count):
        campaign = CampaignFactory(owner=UserFactory(notify_by_email=False))
        record(campaign, "units_sold", {1: 5000})
        target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
        made.append(
            threshold_create(
                kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), recipients=[helper]
            )
        )
    return made


@pytest.mark.django_db
def test_the_beat_job_queues_one_batch_job_per_range_and_the_batches_check_each_threshold_once(monkeypatch, settings):
    settings.THRESHOLD_BATCH_SIZE = 2
    made = _breaching_thresholds(5)
    Threshold.objects.filter(pk=made[1].pk).update(is_active=False)
    queued = []
    monkeypatch.setattr(jobs.check_threshold_batch, "apply_async", lambda args, **options: queued.append(args))

    assert jobs.check_thresholds.apply().get() == 2

    ids = [t.pk for t in made]
    # Batches of two active thresholds each; the last range is open to thresholds added since.
    assert queued == [[ids[0], ids[3] - 1], [ids[3], None]]
    added = _breaching_thresholds(1)[0]
    reports = [jobs.check_threshold_batch.apply(args=args).get() for args in queued]
    assert [r["checked"] for r in reports] == [2, 3]
    assert sum(r["opened"] for r in reports) == 5
    assert set(Alert.objects.values_list("threshold_id", flat=True)) == {*ids, added.pk} - {ids[1]}


@pytest.mark.django_db
def test_the_beat_job_only_reads_the_first_id_of_each_batch(django_assert_num_queries, settings, monkeypatch):
    settings.THRESHOLD_BATCH_SIZE = 1
    _breaching_thresholds(3)
    monkeypatch.setattr(jobs.check_threshold_batch, "apply_async", lambda args, **options: None)

    with django_assert_num_queries(1):
        assert jobs.check_thresholds.apply().get() == 3


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_two_real_workers_both_take_batches_and_open_each_alert_once(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the workers cannot see an SQLite test database; run with a PostgreSQL DATABASE_URL")
    made = _breaching_thresholds(6)
    queue = private_queue()
    env = {"DATABASE_URL": worker_database_url(), "THRESHOLD_BATCH_SIZE": "1"}
    workers = [
        start_worker(tmp_path / f"worker{n}.log", queue, include="tests.tracking.slow_batches", **env) for n in (1, 2)
    ]
    try:
        for worker in workers:
            worker.wait_until_ready()
        # Two beats at once, as when a check is retried while the first still runs.
        for _ in range(2):
            jobs.check_thresholds.apply_async(queue=queue)

        def batches_done() -> list[int]:
            return [
                len(re.findall(r"tracking\.check_threshold_batch\[[^\]]+\] succeeded", w.log.read_text()))
                for w in workers
            ]

        wait_for(lambda: sum(batches_done()) == 12, timeout=120, what="twelve batch jobs")
    finally:
        for worker in workers:
            worker.stop()

    assert all(done > 0 for done in batches_done()), batches_done()
    assert sorted(Alert.objects.values_list("threshold_id", flat=True)) == sorted(t.pk for t in made)
    # The owner and the helper, each told once per alert.
    assert Notification.objects.count() == 12
    assert app.conf.broker_url.startswith("redis://")
