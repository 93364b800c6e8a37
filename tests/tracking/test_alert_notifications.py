"""The notification outbox an alert writes, the message shapes of each chat platform, their
signing, and e-mail in the recipient's language."""

import base64
import hashlib
import hmac
import json
import urllib.parse
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import translation

from accounts.models import Role
from notifications import services as notification_services
from notifications.models import ChatWebhook, Delivery, DeliveryChannel, DeliveryState, Notification, WebhookKind
from notifications.senders import DeliveryError, dingtalk_signed_url, feishu_signature, post_webhook, webhook_payload
from tests.notifications.webhook_server import WebhookServer
from tracking.models import NotificationKind
from tracking.services import alerts

from ..factories import (
    CampaignFactory,
    ChatWebhookFactory,
    DepartmentFactory,
    ThresholdFactory,
    UserFactory,
    breach,
    open_alert,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory(owner=UserFactory(username="owner"), plan__owner=UserFactory(username="planner"))


# The outbox ---------------------------------------------------------------------------------


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
    monkeypatch.setattr("notifications.services.publish_delivery", queued.append)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        alert = open_alert(threshold)
        assert queued == []

    assert len(callbacks) == 2
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


# E-mail -------------------------------------------------------------------------------------


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


# Message shapes -----------------------------------------------------------------------------

MESSAGE = {
    "title": "[critical] Alert: Units sold at 62% of target",
    "text": "Observed 31,000, expected 40,000.",
    "url": "https://tracker.example.com/tracking/alerts/7/",
    "event": "alert_opened",
    "extra": {"severity": "critical", "alert_id": 7},
}

GOLDEN_PAYLOADS = {
    WebhookKind.WECOM: {
        "msgtype": "markdown",
        "markdown": {
            "content": "**[critical] Alert: Units sold at 62% of target**\n"
            "Observed 31,000, expected 40,000.\n"
            "[https://tracker.example.com/tracking/alerts/7/](https://tracker.example.com/tracking/alerts/7/)"
        },
    },
    WebhookKind.DINGTALK: {
        "msgtype": "markdown",
        "markdown": {
            "title": "[critical] Alert: Units sold at 62% of target",
            "text": "#### [critical] Alert: Units sold at 62% of target\n"
            "Observed 31,000, expected 40,000.\n\n"
            "[https://tracker.example.com/tracking/alerts/7/](https://tracker.example.com/tracking/alerts/7/)",
        },
    },
    WebhookKind.FEISHU: {
        "msg_type": "text",
        "content": {
            "text": "[critical] Alert: Units sold at 62% of target\n"
            "Observed 31,000, expected 40,000.\n"
            "https://tracker.example.com/tracking/alerts/7/"
        },
    },
    WebhookKind.SLACK: {
        "text": "*[critical] Alert: Units sold at 62% of target*\n"
        "Observed 31,000, expected 40,000.\n"
        "<https://tracker.example.com/tracking/alerts/7/>"
    },
    WebhookKind.GENERIC: {
        "event": "alert_opened",
        "severity": "critical",
        "alert_id": 7,
        "title": "[critical] Alert: Units sold at 62% of target",
        "text": "Observed 31,000, expected 40,000.",
        "url": "https://tracker.example.com/tracking/alerts/7/",
    },
}


@pytest.mark.parametrize("kind", list(WebhookKind))
def test_each_platform_gets_its_own_message_shape(kind):
    assert webhook_payload(kind=kind, **MESSAGE) == GOLDEN_PAYLOADS[kind]


def test_the_dingtalk_signature_is_the_hmac_of_timestamp_and_secret_in_the_url():
    secret = "SEC0123456789abcdef"
    timestamp = 1_767_225_600_000
    string_to_sign = f"{timestamp}\n{secret}".encode()
    expected = base64.b64encode(hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()).decode()

    signed = dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=abc", secret, timestamp_ms=timestamp
    )

    split = urllib.parse.urlsplit(signed)
    assert split.path == "/robot/send"
    assert urllib.parse.parse_qs(split.query) == {
        "access_token": ["abc"],
        "timestamp": [str(timestamp)],
        "sign": [expected],
    }
    # The sign is URL-encoded (base64 has "+", "/" and "=").
    assert f"sign={urllib.parse.quote_plus(expected)}" in signed


def test_the_feishu_signature_goes_in_the_body_as_timestamp_and_sign():
    secret = "feishu-secret"
    timestamp = 1_767_225_600
    key = f"{timestamp}\n{secret}".encode()
    expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()

    assert feishu_signature(secret, timestamp=timestamp) == {"timestamp": "1767225600", "sign": expected}


@pytest.mark.parametrize("kind", [WebhookKind.WECOM, WebhookKind.SLACK, WebhookKind.GENERIC])
def test_posting_sends_the_platforms_json_to_its_webhook(kind):
    payload = webhook_payload(kind=kind, **MESSAGE)

    with WebhookServer(platform=kind) as server:
        post_webhook(ChatWebhook(name="group", kind=kind, url=f"{server.url}?key=k1"), payload)

    [received] = server.requests
    assert received.json == payload
    assert received.query == {"key": "k1"}
    assert received.headers["content-type"] == "application/json; charset=utf-8"


def test_posting_to_dingtalk_signs_the_request_so_that_dingtalk_would_accept_it():
    secret = "SECdingtalk"
    payload = webhook_payload(kind=WebhookKind.DINGTALK, **MESSAGE)

    with WebhookServer(platform="dingtalk") as server:
        hook = ChatWebhook(name="group", kind=WebhookKind.DINGTALK, url=f"{server.url}?access_token=t", secret=secret)
        post_webhook(hook, payload)

    [received] = server.requests
    assert received.json == payload
    timestamp = received.query["timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    assert base64.b64decode(received.query["sign"]) == expected
    assert received.query["access_token"] == "t"


def test_posting_to_feishu_signs_the_body_so_that_feishu_would_accept_it():
    secret = "feishu-secret"
    payload = webhook_payload(kind=WebhookKind.FEISHU, **MESSAGE)

    with WebhookServer(platform="feishu") as server:
        post_webhook(ChatWebhook(name="group", kind=WebhookKind.FEISHU, url=server.url, secret=secret), payload)

    [received] = server.requests
    body = received.json
    assert {key: body[key] for key in payload} == payload
    expected = hmac.new(f"{body['timestamp']}\n{secret}".encode(), b"", hashlib.sha256).digest()
    assert base64.b64decode(body["sign"]) == expected


def test_chinese_text_is_sent_as_utf8_json_not_escaped():
    payload = webhook_payload(kind=WebhookKind.WECOM, **{**MESSAGE, "title": "预警：销量达成率 62%"})

    with WebhookServer(platform="wecom") as server:
        post_webhook(ChatWebhook(name="群", kind=WebhookKind.WECOM, url=server.url), payload)

    [received] = server.requests
    assert "预警：销量达成率 62%".encode() in received.body
    assert json.loads(received.body.decode("utf-8")) == payload


@pytest.mark.parametrize("kind", [WebhookKind.WECOM, WebhookKind.DINGTALK, WebhookKind.FEISHU])
def test_a_platform_that_refuses_the_message_with_an_error_code_is_a_failure(kind):
    with WebhookServer(platform=kind, refuse=True) as server:
        hook = ChatWebhook(name="group", kind=kind, url=server.url)
        with pytest.raises(DeliveryError, match="refused the message"):
            post_webhook(hook, webhook_payload(kind=kind, **MESSAGE))

    assert len(server.requests) == 1


def test_an_http_error_from_the_webhook_is_a_failure():
    with WebhookServer(platform="slack", always_fail=True) as server, pytest.raises(DeliveryError, match="HTTP 500"):
        post_webhook(ChatWebhook(name="group", kind=WebhookKind.SLACK, url=server.url), {"text": "x"})


def test_an_unreachable_webhook_is_a_failure():
    with pytest.raises(DeliveryError, match="unreachable"):
        post_webhook(ChatWebhook(name="group", kind=WebhookKind.GENERIC, url="http://127.0.0.1:1/hook"), {})


def test_a_webhook_address_that_is_not_http_is_refused_without_a_request():
    with pytest.raises(DeliveryError, match="Not an HTTP address"):
        post_webhook(ChatWebhook(name="group", kind=WebhookKind.GENERIC, url="file:///etc/passwd"), {})


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


def test_executives_are_not_told_when_an_alert_opens(campaign, make_user):
    make_user(Role.EXECUTIVE, username="boss")

    alert = open_alert(ThresholdFactory(target__campaign=campaign))

    assert not Notification.objects.filter(alert=alert, recipient__username="boss").exists()
