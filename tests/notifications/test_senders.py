"""The chat platforms' senders: each platform's message shape, DingTalk's and Feishu's signing,
posting to a (local) webhook, and what counts as a failure."""

import base64
import hashlib
import hmac
import json
import urllib.parse

import pytest

from notifications.models import ChatWebhook, WebhookKind
from notifications.senders import DeliveryError, dingtalk_signed_url, feishu_signature, post_webhook, webhook_payload
from tests.notifications.webhook_server import WebhookServer

pytestmark = pytest.mark.django_db


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


# Message shapes ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(WebhookKind))
def test_each_platform_gets_its_own_message_shape(kind):
    assert webhook_payload(kind=kind, **MESSAGE) == GOLDEN_PAYLOADS[kind]


# Signing ----------------------------------------------------------------------------------


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


# Posting ----------------------------------------------------------------------------------


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


# Failures ---------------------------------------------------------------------------------


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
