"""The first check after a mass breach opens its alerts in bulk: a fixed number of queries per
batch, whatever the number of alerts, and exactly the alerts, notifications and deliveries
that opening them one by one makes."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Delivery, Notification
from plans.models import Campaign
from tests.factories import (
    AnnualPlanFactory,
    CampaignFactory,
    ChatWebhookFactory,
    DepartmentFactory,
    MetricValueFactory,
    StageFactory,
    TargetFactory,
    TaskFactory,
    UserFactory,
    metric,
    record,
)
from tracking import evaluation
from tracking.evaluation import evaluate_all
from tracking.models import Alert, Severity, Threshold, ThresholdKind
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db


def _breaching_campaigns(count: int, *, helper, department) -> None:
    """`count` campaigns, each breaching one threshold: a goal at a sixth of its pace (even
    campaigns) or overdue tasks (odd ones); each campaign has its chat group, its owner is in
    a department with one, and the threshold tells a helper too."""
    for n in range(count):
        owner = UserFactory(department=department, language="zh-hans" if n % 2 else "en")
        campaign = CampaignFactory(owner=owner)
        ChatWebhookFactory(scope=campaign)
        if n % 2 == 0:
            target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
            record(campaign, "units_sold", {1: 1000})
            threshold_create(
                kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), recipients=[helper]
            )
        else:
            TaskFactory(
                stage=StageFactory(campaign=campaign),
                due_date=date(2026, 6, 1),
                responsible=UserFactory(notify_by_email=False),
                accountable=owner,
            )
            threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign, recipients=[helper])


def test_opening_3_or_many_alerts_runs_the_same_queries(frozen, django_capture_on_commit_callbacks):
    # SQLite splits an insert past 999 parameters (52 deliveries of 19 columns): keep within one.
    many = 30 if connection.vendor == "postgresql" else 15
    helper = UserFactory(language="zh-hans", notify_by_email=False, department=DepartmentFactory())
    department = DepartmentFactory()
    ChatWebhookFactory(department=department)
    # Content types are read once per process and kept: read them before counting.
    ContentType.objects.get_for_models(Alert, Campaign)

    def first_check(count: int) -> int:
        Threshold.objects.all().delete()  # and their alerts, notifications and deliveries
        _breaching_campaigns(count, helper=helper, department=department)
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
            report = evaluate_all(now=frozen)
        assert len(report.opened) == Alert.objects.count() == count, report.counts()
        assert not report.errors
        # One on-commit callback publishes the batch's deliveries, not one per alert or delivery.
        assert len(callbacks) == 1
        # Each alert: its owner's e-mail, its campaign's and its owner's department's chat groups.
        assert Delivery.objects.count() == 3 * count
        return len(queries)

    few_queries = first_check(3)
    assert first_check(many) == few_queries


def _snapshot() -> dict[str, list]:
    """Alerts, notifications and deliveries by threshold, each alert's own id taken out."""
    alerts = {alert.pk: alert for alert in Alert.objects.select_related("threshold")}

    def of_threshold(value, alert_id: int):
        alert = alerts[alert_id]
        if isinstance(value, str):
            return value.replace(alert.get_absolute_url(), f"<alert of threshold {alert.threshold_id}>")
        return {key: alert.threshold_id if key == "alert_id" else item for key, item in value.items()}

    def row(values: dict) -> tuple:
        return tuple(sorted((key, repr(value)) for key, value in values.items()))

    alert_fields = ["threshold_id", "scope_key", "campaign_id", "target_id", "severity", "state", "observed"]
    alert_fields += ["expected", "summary", "summary_zh", "opened_at", "last_checked_at"]
    return {
        "alerts": sorted(row({name: getattr(alert, name) for name in alert_fields}) for alert in alerts.values()),
        "notifications": sorted(
            row(
                {
                    "threshold": alerts[n.subject_id].threshold_id,
                    "recipient": n.recipient_id,
                    "kind": n.kind,
                    "title": n.title,
                    "body": n.body,
                    "texts": n.texts,
                    "url": of_threshold(n.url, n.subject_id),
                    "read": n.read_at,
                }
            )
            for n in Notification.objects.all()
        ),
        "deliveries": sorted(
            row(
                {
                    "threshold": alerts[d.subject_id].threshold_id,
                    "channel": d.channel,
                    "recipient": d.notification.recipient_id if d.notification else None,
                    "webhook": d.webhook_id,
                    "kind": d.kind,
                    "language": d.language,
                    "title": d.title,
                    "body": d.body,
                    "url": of_threshold(d.url, d.subject_id),
                    "extra": of_threshold(d.extra, d.subject_id),
                    "state": d.state,
                }
            )
            for d in Delivery.objects.select_related("notification")
        ),
    }


def test_the_bulk_path_makes_exactly_what_opening_one_by_one_makes(frozen, monkeypatch):
    # Recipients of every sort: owners in English and Chinese, a helper without e-mail, one who
    # left (inactive), a plan-level threshold (no campaign: the plan's owner, no campaign chat
    # group), overdue tasks' Responsible and Accountable, chat groups of campaigns and of
    # departments (one person there does not want chat messages).
    chatty, quiet = DepartmentFactory(name="Chatty"), DepartmentFactory(name="Quiet")
    ChatWebhookFactory(department=chatty, name="Chatty group")
    ChatWebhookFactory(department=quiet, name="Quiet group")
    helper = UserFactory(language="zh-hans", notify_by_email=False, department=chatty)
    left = UserFactory(is_active=False)
    no_chat = UserFactory(department=quiet, notify_by_chat=False)
    plan = AnnualPlanFactory(owner=UserFactory(language="zh-hans"))
    for n in range(3):
        owner = UserFactory(language="zh-hans" if n else "en", department=chatty if n == 1 else None)
        campaign = CampaignFactory(plan=plan, owner=owner)
        ChatWebhookFactory(scope=campaign, name=f"Campaign group {n}")
        target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
        record(campaign, "units_sold", {1: 1000 * (n + 1)})
        threshold_create(
            kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), recipients=[helper, left, no_chat]
        )
        stage = StageFactory(campaign=campaign)
        TaskFactory(stage=stage, due_date=date(2026, 6, 1), accountable=owner)
        TaskFactory(stage=stage, due_date=date(2026, 6, 2), responsible=helper)
        threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign, severity=Severity.CRITICAL)
    for day in range(8, 15):  # the last 7 days up to the 14th
        MetricValueFactory(plan=plan, campaign=None, metric=metric("units_sold"), date=date(2026, 6, day), value=1)
    threshold_create(
        kind=ThresholdKind.VALUE_BELOW,
        plan=plan,
        metric=metric("units_sold"),
        bound=Decimal(1000),
        window_days=7,
        recipients=[no_chat],
    )

    bulk = evaluate_all(now=frozen)
    in_bulk = _snapshot()
    Alert.objects.all().delete()
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    monkeypatch.setattr(evaluation, "alerts_open", lambda **kwargs: None)  # as when the constraint refuses
    one_by_one = evaluate_all(now=frozen)

    assert len(bulk.opened) == len(one_by_one.opened) == 7, (bulk.counts(), bulk.not_evaluable)
    assert _snapshot() == in_bulk
    # The snapshot holds what it should: both languages, chat groups, e-mails.
    deliveries = [dict(row) for row in in_bulk["deliveries"]]
    assert {row["language"] for row in deliveries} == {"'en'", "'zh-hans'"}
    assert {row["channel"] for row in deliveries} == {"'email'", "'webhook'"}
    assert {row["webhook"] for row in deliveries} > {"None"}
    recipients = {dict(row)["recipient"] for row in in_bulk["notifications"]}
    assert repr(helper.pk) in recipients
    assert repr(left.pk) not in recipients
