"""How an e-mail or a chat message leaves the building: message shapes of WeCom, DingTalk,
Feishu, Slack and a generic JSON webhook, their signing, and the HTTP POST."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .models import ChatWebhook, WebhookKind


class DeliveryError(Exception):
    """A send that did not go through; it is retried."""


def webhook_payload(
    *, kind: str, title: str, text: str, url: str, event: str, extra: dict | None = None, message_id: str = ""
) -> dict:
    """The JSON body each chat platform expects for a short message with a link; the generic
    JSON message also carries the event, the sender's extra fields (e.g. an alert's severity
    and id) and the delivery's message id, the same on every attempt, so that a receiver can
    drop a repeat. The chat platforms' bot webhooks take no such field."""
    if kind == WebhookKind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n{text}\n[{url}]({url})"}}
    if kind == WebhookKind.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": f"#### {title}\n{text}\n\n[{url}]({url})"}}
    if kind == WebhookKind.FEISHU:
        return {"msg_type": "text", "content": {"text": f"{title}\n{text}\n{url}"}}
    if kind == WebhookKind.SLACK:
        return {"text": f"*{title}*\n{text}\n<{url}>"}
    payload = {"event": event, **(extra or {}), "title": title, "text": text, "url": url}
    if message_id:
        payload["message_id"] = message_id
    return payload


def dingtalk_signed_url(url: str, secret: str, *, timestamp_ms: int | None = None) -> str:
    """DingTalk signing: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, in the URL."""
    timestamp_ms = timestamp_ms or int(time.time() * 1000)
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={sign}"


def feishu_signature(secret: str, *, timestamp: int | None = None) -> dict:
    """Feishu signing: HMAC-SHA256 keyed by "timestamp\\nsecret" over nothing, base64, in the body."""
    timestamp = timestamp or int(time.time())
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return {"timestamp": str(timestamp), "sign": base64.b64encode(digest).decode()}


def post_webhook(
    webhook: ChatWebhook, payload: dict, *, idempotency_key: str = "", timeout: float | None = None
) -> None:
    """POST a message; raise DeliveryError unless the platform accepted it within the timeout
    (DELIVERY_TIMEOUT_SECONDS). An idempotency key goes in an Idempotency-Key header."""
    timeout = settings.DELIVERY_TIMEOUT_SECONDS if timeout is None else timeout
    url = webhook.url
    if webhook.kind == WebhookKind.DINGTALK and webhook.secret:
        url = dingtalk_signed_url(url, webhook.secret)
    if webhook.kind == WebhookKind.FEISHU and webhook.secret:
        payload = {**feishu_signature(webhook.secret), **payload}
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise DeliveryError(f"Not an HTTP address: {url}")
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "marketing-plan-tracker"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=json.dumps(payload, ensure_ascii=False).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code} from {webhook.name}") from exc
    except TimeoutError as exc:
        raise DeliveryError(f"{webhook.name} did not answer within {timeout:g} s") from exc
    except (urllib.error.URLError, OSError) as exc:
        if isinstance(getattr(exc, "reason", None), TimeoutError):
            raise DeliveryError(f"{webhook.name} did not answer within {timeout:g} s") from exc
        raise DeliveryError(f"{webhook.name} unreachable: {exc}") from exc
    _check_platform_answer(webhook, body)


def _check_platform_answer(webhook: ChatWebhook, body: bytes) -> None:
    # WeCom and DingTalk answer 200 with {"errcode": …}; Feishu with {"code": …}.
    if webhook.kind not in {WebhookKind.WECOM, WebhookKind.DINGTALK, WebhookKind.FEISHU}:
        return
    try:
        answer = json.loads(body or b"{}")
    except ValueError as exc:
        raise DeliveryError(f"{webhook.name} answered something that is not JSON") from exc
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code not in (0, "0", None):
        raise DeliveryError(f"{webhook.name} refused the message: {answer.get('errmsg') or answer.get('msg') or code}")


def send_email(*, to: str, subject: str, body: str, message_id: str = "") -> None:
    """Send one e-mail, waiting for the mail server at most DELIVERY_TIMEOUT_SECONDS per step;
    a message id (the same on every attempt) becomes its Message-ID header."""
    headers = {"Message-ID": message_id} if message_id else {}
    try:
        connection = get_connection(timeout=settings.DELIVERY_TIMEOUT_SECONDS)
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers=headers,
            connection=connection,
        )
        message.send()
    except Exception as exc:  # SMTP errors come in many classes
        raise DeliveryError(f"e-mail to {to} failed: {exc}") from exc
