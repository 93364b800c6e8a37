"""The move of notifications, deliveries and chat webhooks out of tracking keeps every row:
a database with alerts, their notifications, e-mail and chat deliveries, a digest and a
webhook's history is migrated, and everything is found again in the notifications app."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("tracking", "0002_alert_summary_in_chinese"), ("notifications", None)]
AFTER = [("tracking", "0003_move_notifications_out"), ("notifications", "0001_initial")]
AT = datetime(2026, 6, 14, 23, 30, tzinfo=ZoneInfo("UTC"))  # 07:30 on 15 June in Shanghai

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def old_data(apps) -> dict:
    User = apps.get_model("accounts", "User")
    Department = apps.get_model("accounts", "Department")
    AnnualPlan = apps.get_model("plans", "AnnualPlan")
    Campaign = apps.get_model("plans", "Campaign")
    Threshold = apps.get_model("tracking", "Threshold")
    Alert = apps.get_model("tracking", "Alert")
    Notification = apps.get_model("tracking", "Notification")
    Delivery = apps.get_model("tracking", "Delivery")
    ChatWebhook = apps.get_model("tracking", "ChatWebhook")
    HistoricalChatWebhook = apps.get_model("tracking", "HistoricalChatWebhook")

    owner = User.objects.create(username="migrated-owner", email="owner@example.com", language="zh-hans")
    sales = Department.objects.create(name="迁移销售部")
    plan = AnnualPlan.objects.create(year=2026, title="Plan", owner=owner)
    campaign = Campaign.objects.create(
        plan=plan, name="618", type="promotion", owner=owner, start_date=date(2026, 6, 1), end_date=date(2026, 6, 30)
    )
    threshold = Threshold.objects.create(kind="tasks_overdue", campaign=campaign)
    alert = Alert.objects.create(
        threshold=threshold,
        scope_key=f"campaign:{campaign.pk}",
        campaign=campaign,
        severity="critical",
        summary="3 tasks overdue",
        summary_zh="3 项任务逾期",
    )
    opened = Notification.objects.create(
        recipient=owner, kind="alert_opened", alert=alert, title="[critical] Alert", url="http://x/alerts/1/"
    )
    digest = Notification.objects.create(recipient=owner, kind="digest", title="Your digest", created_at=AT)
    group = ChatWebhook.objects.create(
        name="618 群", kind="dingtalk", url="https://oapi.dingtalk.com/r", campaign=campaign
    )
    sales_group = ChatWebhook.objects.create(
        name="销售群", kind="wecom", url="https://qyapi.weixin.qq.com/r", department=sales
    )
    HistoricalChatWebhook.objects.create(
        id=group.pk,
        name=group.name,
        kind=group.kind,
        url=group.url,
        campaign_id=campaign.pk,
        is_active=True,
        history_date=AT,
        history_type="+",
        history_user_id=owner.pk,
    )
    email = Delivery.objects.create(
        channel="email", notification=opened, alert=alert, event="alert_opened", state="sent"
    )
    chat = Delivery.objects.create(
        channel="webhook", webhook=group, alert=alert, event="alert_opened", language="zh-hans", state="failed"
    )
    return {
        "owner": owner.pk,
        "campaign": campaign.pk,
        "alert": alert.pk,
        "opened": opened.pk,
        "digest": digest.pk,
        "group": group.pk,
        "sales_group": sales_group.pk,
        "sales": sales.pk,
        "email": email.pk,
        "chat": chat.pk,
    }


@pytest.fixture
def migrated():
    try:
        ids = old_data(migrate(BEFORE))
        yield ids, migrate(AFTER)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_every_row_is_found_again_with_its_id_and_data(migrated):
    ids, apps = migrated
    ContentType = apps.get_model("contenttypes", "ContentType")
    Notification = apps.get_model("notifications", "Notification")
    Delivery = apps.get_model("notifications", "Delivery")
    ChatWebhook = apps.get_model("notifications", "ChatWebhook")
    alert_type = ContentType.objects.get(app_label="tracking", model="alert")
    campaign_type = ContentType.objects.get(app_label="plans", model="campaign")

    opened = Notification.objects.get(pk=ids["opened"])
    assert (opened.recipient_id, opened.kind, opened.subject_type_id, opened.subject_id, opened.title) == (
        ids["owner"],
        "alert_opened",
        alert_type.pk,
        ids["alert"],
        "[critical] Alert",
    )
    digest = Notification.objects.get(pk=ids["digest"])
    assert (digest.subject_id, digest.dedupe_key) == (None, "digest:2026-06-15")

    group = ChatWebhook.objects.get(pk=ids["group"])
    assert (group.scope_type_id, group.scope_id, group.department_id) == (campaign_type.pk, ids["campaign"], None)
    assert ChatWebhook.objects.get(pk=ids["sales_group"]).department_id == ids["sales"]
    assert (
        apps.get_model("notifications", "HistoricalChatWebhook").objects.get(id=ids["group"]).scope_id
        == ids["campaign"]
    )

    email = Delivery.objects.get(pk=ids["email"])
    assert (email.notification_id, email.kind, email.state, email.subject_id) == (
        ids["opened"],
        "alert_opened",
        "sent",
        ids["alert"],
    )
    chat = Delivery.objects.get(pk=ids["chat"])
    assert (chat.webhook_id, chat.state, chat.language) == (ids["group"], "failed", "zh-hans")
    # A chat message that is sent again after the move has a text of its own.
    assert chat.title == "[critical] 3 项任务逾期"
    assert chat.url == f"/alerts/{ids['alert']}/"
    assert chat.extra == {"severity": "critical", "alert_id": ids["alert"]}


def test_new_rows_get_ids_after_the_moved_ones(migrated):
    ids, apps = migrated
    Notification = apps.get_model("notifications", "Notification")

    fresh = Notification.objects.create(recipient_id=ids["owner"], kind="digest", title="new", dedupe_key="x")

    assert fresh.pk > max(ids["opened"], ids["digest"])
