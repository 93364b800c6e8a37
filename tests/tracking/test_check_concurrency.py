"""Two threshold checks (and two digests) at the same moment, each on its own database
connection, on PostgreSQL: the database decides, so nothing is doubled."""

import threading
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection

from notifications.models import Delivery, Notification
from tasks.models import TaskStatus
from tests.factories import CampaignFactory, MetricValueFactory, StageFactory, TargetFactory, TaskFactory, UserFactory
from tracking import evaluation, jobs
from tracking.evaluation import evaluate_all
from tracking.models import Alert, AlertState, NotificationKind, Threshold, ThresholdKind
from tracking.services import alerts, digest, thresholds

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Concurrency needs a server database with row locks and concurrent transactions: run with "
            "DATABASE_URL=postgres://… (SQLite serialises all writers, so there is no race to test)."
        )


@pytest.fixture(autouse=True)
def published(monkeypatch):
    """These tests commit, so deliveries are published after commit: keep them off the broker."""
    published = []

    monkeypatch.setattr("notifications.services.publish_deliveries", published.extend)
    return published


NOW = datetime(2026, 6, 14, 12, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))


def at_the_same_time(fn, *, parties: int = 2) -> list:
    """Run fn in `parties` threads, each with its own connection; return results or exceptions."""
    results: list = [None] * parties

    def run(index):
        try:
            results[index] = fn()
        except Exception as exc:  # reported to the test, which fails on it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(parties)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def line_up_once(monkeypatch, module, name: str, barrier: threading.Barrier) -> None:
    """Make each thread wait at the barrier the first time it calls module.name."""
    original = getattr(module, name)
    waited = threading.local()

    def lined_up(*args, **kwargs):
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, lined_up)


@pytest.fixture
def breaching_threshold():
    campaign = CampaignFactory()
    target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
    MetricValueFactory(campaign=campaign, date=date(2026, 6, 1), value=Decimal("5000"))
    helper = UserFactory(username="ecommerce")
    return thresholds.threshold_create(
        kind=ThresholdKind.ATTAINMENT_BELOW,
        target=target,
        percent=Decimal(80),
        recipients=[helper],
    )


def test_two_checks_at_once_open_one_alert_and_one_set_of_notifications(breaching_threshold, monkeypatch, published):
    # Both checks have seen no open alert and reach the insert together.
    line_up_once(monkeypatch, alerts, "alert_campaign", threading.Barrier(2, timeout=30))

    reports = at_the_same_time(lambda: evaluate_all(now=NOW))

    assert not [r for r in reports if isinstance(r, Exception)], reports
    assert sorted((len(r.opened), len(r.kept)) for r in reports) == [(0, 1), (1, 0)]
    alert = Alert.objects.get()
    assert alert.state == AlertState.OPEN
    notifications = Notification.objects.filter(alert=alert, kind=NotificationKind.ALERT_OPENED)
    assert notifications.count() == 2
    assert Delivery.objects.filter(alert=alert).count() == 2
    assert sorted(published) == sorted(Delivery.objects.values_list("pk", flat=True))


def test_two_checks_at_once_resolve_a_recovered_alert_once(breaching_threshold, monkeypatch):
    evaluate_all(now=NOW)
    alert = Alert.objects.get()
    Threshold.objects.filter(pk=breaching_threshold.pk).update(percent=Decimal(10))
    line_up_once(monkeypatch, evaluation, "alert_recover", threading.Barrier(2, timeout=30))

    reports = at_the_same_time(lambda: evaluate_all(now=NOW))

    assert not [r for r in reports if isinstance(r, Exception)], reports
    assert sum(len(r.resolved) for r in reports) == 1
    alert.refresh_from_db()
    assert alert.state == AlertState.AUTO_RESOLVED
    assert Notification.objects.filter(alert=alert, kind=NotificationKind.ALERT_RECOVERED).count() == 2


def test_two_digests_at_once_write_one_per_person(monkeypatch):
    people = [UserFactory() for _ in range(3)]
    stage = StageFactory()
    for person in people:
        TaskFactory(stage=stage, responsible=person, due_date=date(2026, 6, 1), status=TaskStatus.IN_PROGRESS)
    line_up_once(monkeypatch, digest, "_send_chunk", threading.Barrier(2, timeout=30))

    written = at_the_same_time(lambda: digest.send_daily_digests(now=NOW))

    assert sorted(written) == [0, 3]
    assert Notification.objects.filter(kind=NotificationKind.DIGEST).count() == 3
    assert Delivery.objects.filter(kind=NotificationKind.DIGEST).count() == 3


def test_the_same_batch_job_twice_at_once_opens_each_alert_once_with_one_set_of_notifications(monkeypatch, published):
    # Four breaches of one batch opened in bulk by both jobs at the same moment: the constraint
    # refuses the second insert, whose job then opens them one by one and finds them open.
    helper = UserFactory(username="ecommerce")
    for _ in range(4):
        campaign = CampaignFactory()
        MetricValueFactory(campaign=campaign, date=date(2026, 6, 1), value=Decimal("5000"))
        thresholds.threshold_create(
            kind=ThresholdKind.ATTAINMENT_BELOW,
            target=TargetFactory(campaign=campaign, target_value=Decimal("30000")),
            percent=Decimal(80),
            recipients=[helper],
        )
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    (first_id, last_id), *_none = evaluation.threshold_ranges()
    line_up_once(monkeypatch, alerts, "thresholds_recipients", threading.Barrier(2, timeout=30))

    counts = at_the_same_time(lambda: jobs.check_threshold_batch(first_id, last_id))

    assert not [c for c in counts if isinstance(c, Exception)], counts
    assert sorted((c["opened"], c["kept"]) for c in counts) == [(0, 4), (4, 0)]
    assert Alert.objects.count() == 4
    # Each alert: its campaign's owner and the helper, each told once, each by e-mail.
    assert Notification.objects.count() == 8
    assert Delivery.objects.count() == 8
    assert sorted(published) == sorted(Delivery.objects.values_list("pk", flat=True))
