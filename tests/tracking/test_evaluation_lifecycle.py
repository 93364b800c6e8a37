"""What the check does with a breach over time: keeps the alert while it lasts, resolves it when
it recovers, opens a new one after; the same state when run twice; active thresholds only, in
batches."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from notifications.models import Notification
from tests.factories import StageFactory, TargetFactory, TaskFactory, UserFactory, record, set_value
from tracking import evaluation, jobs
from tracking.evaluation import evaluate_all
from tracking.models import Alert, AlertState, NotificationKind, ThresholdKind
from tracking.services import alerts
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db


def test_a_continuing_breach_keeps_the_alert_and_notifies_nobody_again(breaching, campaign, now):
    evaluate_all(now=now)
    alert = breaching.alerts.unresolved().get()
    notified = Notification.objects.count()
    assert notified == 2

    set_value(campaign, "units_sold", 1, 6000)
    later = now + timedelta(minutes=15)
    report = evaluate_all(now=later)

    assert breaching.alerts.unresolved().get() == alert
    assert Notification.objects.count() == notified
    assert [o.threshold_id for o in report.kept] == [breaching.pk]
    alert.refresh_from_db()
    assert alert.observed == Decimal("6000")
    assert alert.last_checked_at == later
    assert alert.opened_at == now


def test_an_acknowledged_alert_is_kept_while_the_breach_lasts(breaching, manager, now):
    evaluate_all(now=now)
    alert = breaching.alerts.unresolved().get()
    alerts.alert_acknowledge(alert=alert, by=manager, note="Looking at the traffic")

    report = evaluate_all(now=now)

    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED
    assert len(report.kept) == 1
    assert Alert.objects.count() == 1


def test_a_recovery_resolves_the_alert_and_tells_the_same_people(breaching, campaign, now):
    evaluate_all(now=now)
    alert = breaching.alerts.unresolved().get()
    told = set(Notification.objects.filter(alert=alert).values_list("recipient_id", flat=True))
    # Someone added to the threshold later was never told it opened, so is not told it recovered.
    breaching.recipients.add(UserFactory())

    set_value(campaign, "units_sold", 1, 20000)
    evaluate_all(now=now)

    alert.refresh_from_db()
    assert alert.state == AlertState.AUTO_RESOLVED
    recovered = Notification.objects.filter(alert=alert, kind=NotificationKind.ALERT_RECOVERED)
    assert set(recovered.values_list("recipient_id", flat=True)) == told


def test_a_breach_after_a_recovery_opens_a_new_alert(breaching, campaign, now):
    evaluate_all(now=now)
    set_value(campaign, "units_sold", 1, 20000)
    evaluate_all(now=now)
    set_value(campaign, "units_sold", 1, 1000)

    report = evaluate_all(now=now)

    assert len(report.opened) == 1
    assert Alert.objects.filter(threshold=breaching).count() == 2
    assert breaching.alerts.unresolved().count() == 1


def test_running_the_check_twice_gives_the_same_state(breaching, campaign, frozen):
    stage = StageFactory(campaign=campaign)
    TaskFactory(stage=stage, due_date=date(2026, 6, 1))
    threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)
    threshold_create(kind=ThresholdKind.COST_ABOVE_BUDGET, campaign=campaign, percent=Decimal(10))

    def state():
        return (
            list(Alert.objects.order_by("pk").values("pk", "threshold_id", "state", "observed", "expected")),
            list(Notification.objects.order_by("pk").values_list("pk", flat=True)),
        )

    def check() -> dict[str, int]:
        # What the beat job's fan-out queues, run here one batch after the other.
        batches = [jobs.check_threshold_batch(first, last) for first, last in evaluation.threshold_ranges()]
        assert len(batches) == 1
        return batches[0]

    check()
    first = state()
    counts = check()

    assert state() == first
    assert len(first[0]) == 2
    assert counts == {
        "checked": 3,
        "opened": 0,
        "kept": 2,
        "resolved": 0,
        "within": 1,
        "not_evaluable": 0,
        "errors": 0,
    }


def test_inactive_thresholds_are_not_checked(breaching, now):
    breaching.is_active = False
    breaching.save()

    report = evaluate_all(now=now)

    assert report.checked == 0
    assert not Alert.objects.exists()


def test_thresholds_are_checked_in_batches(campaign, now):
    target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
    record(campaign, "units_sold", {1: 5000})
    thresholds = [
        threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(50 + n)) for n in range(7)
    ]

    report = evaluate_all(now=now, batch_size=3)

    assert report.batches == 3
    assert report.checked == 7
    assert Alert.objects.unresolved().count() == len(thresholds)
