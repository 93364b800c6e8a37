"""What an alert says and in which language: its summary in English and Chinese, shown in the
reader's; its e-mail and its chat message, with the alert's link, in each reader's language."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from notifications import services as notification_services
from notifications.models import Delivery, DeliveryChannel, DeliveryState, Notification, WebhookKind
from notifications.senders import DeliveryError
from tests.factories import (
    CampaignFactory,
    ChatWebhookFactory,
    MetricValueFactory,
    TargetFactory,
    ThresholdFactory,
    UserFactory,
    metric,
    open_alert,
)
from tests.notifications.webhook_server import WebhookServer
from tracking import evaluation
from tracking.models import Alert, NotificationKind, Threshold
from tracking.services import alerts

pytestmark = pytest.mark.django_db


def test_an_alert_is_worded_in_english_and_chinese_and_shown_in_the_readers_language(client, manager):
    campaign = CampaignFactory(owner=manager, start_date=date(2026, 6, 1), end_date=date(2026, 6, 30))
    target = TargetFactory(campaign=campaign, metric=metric("units_sold"), target_value=Decimal(3000))
    MetricValueFactory(campaign=campaign, metric=target.metric, date=date(2026, 6, 1), value=Decimal(10))
    Threshold.objects.create(
        kind="attainment_below", target=target, campaign=campaign, percent=Decimal(80), paced=False
    )

    evaluation.evaluate_all()

    alert = Alert.objects.get()
    assert "Units sold" in alert.summary
    assert "销量" in alert.summary_zh
    with translation.override("zh-hans"):
        assert alert.headline == alert.summary_zh
    client.force_login(manager)
    page = client.get(alert.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert alert.summary_zh.split(":")[0][:6] in page


# E-mail -----------------------------------------------------------------------------------


def send_emails(alert) -> None:
    for delivery in Delivery.objects.filter(alert=alert, channel=DeliveryChannel.EMAIL):
        assert notification_services.delivery_attempt(delivery_id=delivery.pk) == DeliveryState.SENT


def test_an_alert_email_reaches_the_recipient_with_the_alert_link(campaign):
    alert = open_alert(ThresholdFactory(target__campaign=campaign))

    send_emails(alert)

    [message] = mail.outbox
    assert message.to == [campaign.owner.email]
    assert "Units sold at 62% of target" in message.subject
    assert "31,000" in message.body
    assert "40,000" in message.body
    assert f"{settings.SITE_URL}{alert.get_absolute_url()}" in message.body
    assert Delivery.objects.get(alert=alert, channel=DeliveryChannel.EMAIL).sent_at is not None


def test_people_who_turned_email_off_get_no_email_but_still_see_the_alert_in_app(campaign):
    campaign.owner.notify_by_email = False
    campaign.owner.save()

    alert = open_alert(ThresholdFactory(target__campaign=campaign))
    send_emails(alert)

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=campaign.owner, alert=alert).exists()


def test_each_person_gets_the_message_in_their_own_language(campaign, monkeypatch):
    # The zh-Hans catalogue may not have these messages yet, so the test marks each message
    # with the language that was active while it was written.
    def gettext_marking_language(message):
        return f"[{translation.get_language()}] {message}"

    monkeypatch.setattr(alerts, "_", gettext_marking_language)
    chinese = UserFactory(username="chinese", language="zh-hans")
    browser = UserFactory(username="browser", language="")
    alert = open_alert(ThresholdFactory(target__campaign=campaign, recipients=[chinese, browser]))

    send_emails(alert)

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[chinese.email].startswith("[zh-hans] ")
    assert subjects[browser.email].startswith(f"[{settings.LANGUAGE_CODE}] ")
    assert Delivery.objects.get(notification__recipient=chinese).language == "zh-hans"
    link = f"{settings.SITE_URL}{alert.get_absolute_url()}"
    assert all(link in message.body for message in mail.outbox)


def test_a_chinese_readers_email_subject_is_in_chinese(campaign):
    chinese = UserFactory(username="chinese", language="zh-hans")
    alert = open_alert(ThresholdFactory(target__campaign=campaign, recipients=[chinese]))
    in_chinese = alerts.alert_message(alert, NotificationKind.ALERT_OPENED, "zh-hans")[0]
    in_english = alerts.alert_message(alert, NotificationKind.ALERT_OPENED, "en")[0]
    if in_chinese == in_english:
        pytest.skip("the zh-Hans catalogue has no translation of the alert messages yet")

    send_emails(alert)

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[chinese.email] == in_chinese
    assert subjects[campaign.owner.email] == in_english


def test_a_failing_mail_server_is_a_delivery_failure(campaign, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    alert = open_alert(ThresholdFactory(target__campaign=campaign))
    delivery = Delivery.objects.get(alert=alert, channel=DeliveryChannel.EMAIL)

    with pytest.raises(DeliveryError, match="e-mail to"):
        notification_services.delivery_attempt(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 1)
    assert "e-mail to" in delivery.last_error


# Chat messages ----------------------------------------------------------------------------


def test_a_chat_group_gets_the_alert_message_with_its_link_through_the_outbox(campaign):
    with WebhookServer(platform="feishu") as server:
        ChatWebhookFactory(kind=WebhookKind.FEISHU, url=server.url, scope=campaign)
        alert = open_alert(ThresholdFactory(target__campaign=campaign))
        delivery = Delivery.objects.get(alert=alert, channel=DeliveryChannel.WEBHOOK)

        state = notification_services.delivery_attempt(delivery_id=delivery.pk)

    assert state == DeliveryState.SENT
    [received] = server.accepted
    text = received.json["content"]["text"]
    assert "Units sold at 62% of target" in text
    assert f"{settings.SITE_URL}{alert.get_absolute_url()}" in text


def test_a_chat_message_is_written_in_the_campaign_owners_language(campaign, monkeypatch):
    monkeypatch.setattr(alerts, "_", lambda message: f"[{translation.get_language()}] {message}")
    campaign.owner.language = "zh-hans"
    campaign.owner.save()

    with WebhookServer(platform="slack") as server:
        ChatWebhookFactory(kind=WebhookKind.SLACK, url=server.url, scope=campaign)
        alert = open_alert(ThresholdFactory(target__campaign=campaign))
        notification_services.delivery_attempt(
            delivery_id=Delivery.objects.get(alert=alert, channel=DeliveryChannel.WEBHOOK).pk
        )

    [received] = server.accepted
    assert received.json["text"].startswith("*[zh-hans] ")
