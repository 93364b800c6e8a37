"""Who an alert tells, and how: the notification and the outbox of e-mails and chat messages an
alert writes as it opens, committed or rolled back with it and sent only after it commits."""

from decimal import Decimal

import pytest
from django.db import transaction

from accounts.models import Role
from notifications import services as notification_services
from notifications.models import Delivery, DeliveryChannel, DeliveryState, Notification, WebhookKind
from tests.factories import (
    CampaignFactory,
    ChatWebhookFactory,
    DepartmentFactory,
    ThresholdFactory,
    UserFactory,
    breach,
    open_alert,
)
from tracking.models import NotificationKind
from tracking.services import alerts

pytestmark = pytest.mark.django_db


def test_opening_an_alert_notifies_each_recipient_once_in_app(campaign):
    colleague = UserFactory(username="colleague")
    threshold = ThresholdFactory(target__campaign=campaign, recipients=[colleague, campaign.owner])

    alert = open_alert(threshold)

    notifications = Notification.objects.filter(alert=alert)
    assert sorted(n.recipient.username for n in notifications) == ["colleague", "owner"]
    assert {n.kind for n in notifications} == {NotificationKind.ALERT_OPENED}
    assert all(n.read_at is None for n in notifications)


def test_opening_an_alert_writes_an_email_delivery_only_for_people_who_want_email_and_have_an_address(campaign):
    no_email = UserFactory(username="no_email", notify_by_email=False)
    no_address = UserFactory(username="no_address", email="")
    threshold = ThresholdFactory(target__campaign=campaign, recipients=[no_email, no_address])

    alert = open_alert(threshold)

    emails = Delivery.objects.filter(alert=alert, channel=DeliveryChannel.EMAIL)
    assert [d.notification.recipient.username for d in emails] == ["owner"]
    assert Notification.objects.filter(alert=alert).count() == 3
    assert {d.state for d in emails} == {DeliveryState.PENDING}
    assert {d.attempts for d in emails} == {0}


def test_opening_an_alert_writes_one_webhook_delivery_per_matching_chat_group(campaign):
    marketing = DepartmentFactory(name="市场部")
    sales = DepartmentFactory(name="销售部")
    design = DepartmentFactory(name="设计部")
    campaign.owner.department = marketing
    campaign.owner.save()
    colleague = UserFactory(username="colleague", department=marketing)
    seller = UserFactory(username="seller", department=sales)
    quiet = UserFactory(username="quiet", department=design, notify_by_chat=False)
    threshold = ThresholdFactory(target__campaign=campaign, recipients=[colleague, seller, quiet])
    campaign_group = ChatWebhookFactory(name="Campaign group", scope=campaign)
    marketing_group = ChatWebhookFactory(name="Marketing group", kind=WebhookKind.DINGTALK, department=marketing)
    sales_group = ChatWebhookFactory(name="Sales group", kind=WebhookKind.FEISHU, department=sales)
    ChatWebhookFactory(name="Design group", department=design)
    ChatWebhookFactory(name="Other campaign's group", scope=CampaignFactory())
    ChatWebhookFactory(name="Switched-off group", scope=campaign, is_active=False)

    alert = open_alert(threshold)

    chats = Delivery.objects.filter(alert=alert, channel=DeliveryChannel.WEBHOOK)
    assert sorted(d.webhook.name for d in chats) == sorted(
        [campaign_group.name, marketing_group.name, sales_group.name]
    )
    assert {d.kind for d in chats} == {NotificationKind.ALERT_OPENED}


def test_the_alert_and_everything_it_notifies_roll_back_together(campaign, django_capture_on_commit_callbacks):
    ChatWebhookFactory(scope=campaign)
    threshold = ThresholdFactory(target__campaign=campaign, recipients=[UserFactory()])

    with (  # noqa: PT012 - the request opens the alert, then fails
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        open_alert(threshold)
        assert Delivery.objects.count() == 3
        raise RuntimeError("the request failed after opening the alert")

    assert not threshold.alerts.exists()
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert callbacks == []


def test_sending_is_queued_only_after_the_transaction_commits(
    campaign, monkeypatch, django_capture_on_commit_callbacks
):
    ChatWebhookFactory(scope=campaign)
    threshold = ThresholdFactory(target__campaign=campaign)
    queued = []
    monkeypatch.setattr("notifications.services.publish_deliveries", queued.extend)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        alert = open_alert(threshold)
        assert queued == []

    # One callback publishes the e-mail and the chat message together.
    assert len(callbacks) == 1
    assert len(queued) == 2
    assert sorted(queued) == sorted(Delivery.objects.filter(alert=alert).values_list("pk", flat=True))


def test_a_breach_found_again_keeps_the_open_alert_and_notifies_nobody_again(campaign):
    ChatWebhookFactory(scope=campaign)
    threshold = ThresholdFactory(target__campaign=campaign)
    alert = open_alert(threshold)

    kept, opened = alerts.alert_open_or_keep(
        threshold=threshold,
        breach=breach("again", observed=Decimal("30000"), expected=Decimal("41000")),
    )

    assert (kept.pk, opened) == (alert.pk, False)
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 2
    alert.refresh_from_db()
    assert alert.observed == Decimal("30000")


def test_marking_notifications_read_empties_only_that_persons_bell(campaign):
    colleague = UserFactory(username="colleague")
    open_alert(ThresholdFactory(target__campaign=campaign, recipients=[colleague]))
    open_alert(ThresholdFactory(target__campaign=campaign, recipients=[colleague]))

    marked = notification_services.notification_mark_read(user=colleague)

    assert marked == 2
    assert Notification.objects.filter(recipient=colleague, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=campaign.owner, read_at__isnull=True).count() == 2


def test_executives_are_not_told_when_an_alert_opens(campaign, make_user):
    make_user(Role.EXECUTIVE, username="boss")

    alert = open_alert(ThresholdFactory(target__campaign=campaign))

    assert not Notification.objects.filter(alert=alert, recipient__username="boss").exists()
