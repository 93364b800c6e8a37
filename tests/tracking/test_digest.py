"""The daily digest (tracking.digest and the tracking.daily_digest job)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Delivery, DeliveryChannel, Notification
from tasks.models import TaskStatus
from tests.factories import CampaignFactory, MetricValueFactory, StageFactory, TargetFactory, TaskFactory, UserFactory
from tracking import jobs
from tracking.evaluation import evaluate_all
from tracking.models import Alert, NotificationKind, ThresholdKind
from tracking.services import alerts, thresholds
from tracking.services.digest import send_daily_digests

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 14)


@pytest.fixture
def now():
    return datetime(2026, 6, 14, 8, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))


@pytest.fixture
def campaign():
    return CampaignFactory(name="618 launch")


@pytest.fixture
def stage(campaign):
    return StageFactory(campaign=campaign)


def digests(user=None):
    found = Notification.objects.filter(kind=NotificationKind.DIGEST)
    return found.filter(recipient=user) if user else found


def alert_for(campaign, *recipients) -> Alert:
    """An open alert on the campaign that `recipients` (and its owner) were told about."""
    target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
    MetricValueFactory(campaign=campaign, date=date(2026, 6, 1), value=Decimal("1000"))
    threshold = thresholds.threshold_create(
        kind=ThresholdKind.ATTAINMENT_BELOW,
        target=target,
        percent=Decimal(80),
        recipients=list(recipients),
    )
    evaluate_all(now=datetime(2026, 6, 13, 9, 30, tzinfo=ZoneInfo(settings.TIME_ZONE)))
    return Alert.objects.get(threshold=threshold)


def test_the_digest_lists_a_persons_overdue_tasks_tasks_due_today_and_open_alerts(campaign, stage, now):
    person = UserFactory()
    TaskFactory(stage=stage, responsible=person, name="Detail page live", due_date=date(2026, 6, 10))
    TaskFactory(stage=stage, responsible=person, name="KOL video", due_date=TODAY)
    TaskFactory(stage=stage, responsible=person, name="Posters", due_date=date(2026, 6, 1), status=TaskStatus.DONE)
    TaskFactory(stage=stage, responsible=person, name="Review", due_date=date(2026, 6, 20))
    alert = alert_for(campaign, person)

    send_daily_digests(now=now)

    sent = digests(person).get()
    assert sent.subject_id is None
    assert sent.title == "Your digest for 2026-06-14: 1 overdue task, 1 task due today, 1 open alert"
    assert sent.body == (
        "Overdue tasks (you are responsible):\n"
        "- Detail page live (618 launch), due 2026-06-10\n\n"
        "Due today:\n"
        "- KOL video (618 launch)\n\n"
        "Open alerts waiting for their analysis:\n"
        f"- [warning] {alert.summary}, opened 2026-06-13 09:30"
    )
    assert sent.url.endswith("/")
    assert sent.created_at == now


def test_a_person_gets_one_digest_with_one_email_through_the_outbox(stage, now, django_capture_on_commit_callbacks):
    person = UserFactory(email="li@example.com")
    TaskFactory(stage=stage, responsible=person, due_date=date(2026, 6, 10))

    with django_capture_on_commit_callbacks() as callbacks:
        send_daily_digests(now=now)

    delivery = Delivery.objects.get()
    assert delivery.channel == DeliveryChannel.EMAIL
    assert delivery.notification == digests(person).get()
    assert delivery.kind == NotificationKind.DIGEST
    assert delivery.subject_id is None
    assert len(callbacks) == 1  # the send job, queued once the digest is committed


def test_people_who_do_not_want_email_get_the_in_app_digest_only(stage, now):
    person = UserFactory(notify_by_email=False)
    TaskFactory(stage=stage, responsible=person, due_date=date(2026, 6, 10))

    send_daily_digests(now=now)

    assert digests(person).count() == 1
    assert not Delivery.objects.exists()


def test_the_digest_is_written_in_the_persons_language(stage, now):
    person = UserFactory(language="zh-hans")
    TaskFactory(stage=stage, responsible=person, due_date=date(2026, 6, 10))

    send_daily_digests(now=now)

    notification = digests(person).get()
    assert (notification.title, notification.body) == notification.text("zh-hans")
    assert notification.title != notification.text("en")[0]
    assert Delivery.objects.get().language == "zh-hans"


def test_people_with_nothing_to_report_and_inactive_people_get_no_digest(stage, campaign, now):
    idle = UserFactory()
    TaskFactory(stage=stage, responsible=idle, due_date=date(2026, 6, 20))
    gone = UserFactory(is_active=False)
    TaskFactory(stage=stage, responsible=gone, due_date=date(2026, 6, 1))

    assert send_daily_digests(now=now) == 0

    assert not digests().exists()


def test_acknowledged_alerts_are_not_in_the_digest(campaign, now, manager):
    person = UserFactory()
    alert = alert_for(campaign, person)
    alerts.alert_acknowledge(alert=alert, by=manager, note="Checking the traffic")

    send_daily_digests(now=now)

    assert not digests(person).exists()


def test_a_second_run_the_same_day_writes_nothing_and_the_next_day_writes_again(stage, now):
    person = UserFactory()
    TaskFactory(stage=stage, responsible=person, due_date=date(2026, 6, 10))

    assert send_daily_digests(now=now) == 1
    assert send_daily_digests(now=now + timedelta(hours=10)) == 0
    assert digests(person).count() == 1
    assert Delivery.objects.count() == 1

    assert send_daily_digests(now=now + timedelta(days=1)) == 1
    assert digests(person).count() == 2


def test_the_digest_runs_the_same_queries_for_2_or_20_people(campaign, now):
    def queries_for(count: int) -> int:
        Notification.objects.filter(kind=NotificationKind.DIGEST).delete()
        Delivery.objects.all().delete()
        for _ in range(count):
            person = UserFactory()
            stage = StageFactory(campaign=campaign)
            TaskFactory(stage=stage, responsible=person, due_date=date(2026, 6, 10))
            TaskFactory(stage=stage, responsible=person, due_date=TODAY)
        with CaptureQueriesContext(connection) as context:
            send_daily_digests(now=now)
        return len(context.captured_queries)

    assert queries_for(2) == queries_for(18)
    assert digests().count() == 20


def test_the_daily_digest_job_sends_todays_digests(stage, now, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    person = UserFactory()
    TaskFactory(stage=stage, responsible=person, due_date=date(2026, 6, 10))

    assert jobs.daily_digest() == 1
    assert jobs.daily_digest() == 0
    assert digests(person).count() == 1
