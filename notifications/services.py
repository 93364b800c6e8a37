"""Writes of the notifications layer: the one way in (``notify``), the outbox of e-mails and
chat messages, and chat webhooks.

``notify`` runs inside the caller's transaction: the notifications and deliveries it writes
commit or roll back with what caused them, and sending is queued after commit. A broker that
is down delays the messages; the sweep (every minute) sends whatever is still pending.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Department, User

from .models import ChatWebhook, Delivery, DeliveryChannel, DeliveryState, Notification, WebhookKind, absolute_url
from .senders import DeliveryError, post_webhook, send_email, webhook_payload

logger = logging.getLogger(__name__)

# The send job, by its registered name: a service does not import the job module.
SEND_DELIVERY_JOB = "notifications.send_delivery"

# wording(language, recipient) -> (title, message); recipient is None for a chat group.
Wording = Callable[[str, User | None], tuple[str, str]]


@dataclass
class Notified:
    notifications: int = 0
    deliveries: int = 0


def user_language(user: User | None) -> str:
    """The language a person reads notifications in (their preference, else the site's)."""
    return (user.language if user and user.language else None) or settings.LANGUAGE_CODE


def _site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _texts(wording: Wording, recipient: User | None) -> dict[str, list[str]]:
    texts = {}
    for language in _site_languages():
        with translation.override(language):
            title, body = wording(language, recipient)
        texts[language] = [title[:300], body]
    return texts


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    wording: Wording,
    subject: models.Model | None = None,
    dedupe_key: str = "",
    url: str = "",
    webhook_scopes: Iterable[models.Model] = (),
    webhook_departments: bool = False,
    webhook_language: str | None = None,
    extra: dict | None = None,
    now: datetime | None = None,
) -> Notified:
    """Tell people (in-app, and by e-mail if they want it) and chat groups about a subject.

    Each recipient hears about a subject's event (``subject`` and ``kind``, or ``dedupe_key``
    and ``kind``) once: people already told are skipped, and the database refuses a second.
    Chat groups are the active webhooks of ``webhook_scopes`` (e.g. the campaign) and, with
    ``webhook_departments``, of the departments of recipients who accept chat messages: one
    message each per event, in ``webhook_language``.
    Must run inside the caller's transaction; sending is queued after it commits.
    """
    if subject is None and not dedupe_key:
        raise ValueError("A notification needs a subject or a dedupe key.")
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    subject_id = subject.pk if subject is not None else None
    about = {"subject_type": subject_type, "subject_id": subject_id, "dedupe_key": dedupe_key}
    people = {user.pk: user for user in recipients if user.is_active}
    told = set(
        Notification.objects.filter(recipient_id__in=people, kind=kind, **about).values_list("recipient_id", flat=True)
    )
    now = now or timezone.now()
    fresh = []
    for user in people.values():
        if user.pk in told:
            continue
        texts = _texts(wording, user)
        title, body = texts.get(user_language(user).lower()) or next(iter(texts.values()))
        fresh.append(
            Notification(
                recipient=user, kind=kind, title=title, body=body, texts=texts, url=url, created_at=now, **about
            )
        )
    notifications = _create_notifications(fresh)
    deliveries = [
        Delivery(
            channel=DeliveryChannel.EMAIL,
            notification=notification,
            kind=kind,
            language=user_language(notification.recipient),
            subject_type=subject_type,
            subject_id=subject_id,
        )
        for notification in notifications
        if notification.recipient.notify_by_email and notification.recipient.email
    ]
    departments = set()
    if webhook_departments:
        departments = {user.department_id for user in people.values() if user.department_id and user.notify_by_chat}
    webhooks = list(ChatWebhook.objects.for_scopes(scopes=webhook_scopes, department_ids=departments).distinct())
    if webhooks and subject is not None:
        already = set(
            Delivery.objects.filter(
                webhook__in=webhooks, kind=kind, subject_type=subject_type, subject_id=subject_id
            ).values_list("webhook_id", flat=True)
        )
        webhooks = [webhook for webhook in webhooks if webhook.pk not in already]
    if webhooks:
        language = webhook_language or settings.LANGUAGE_CODE
        with translation.override(language):
            title, body = wording(language, None)
        deliveries += [
            Delivery(
                channel=DeliveryChannel.WEBHOOK,
                webhook=webhook,
                kind=kind,
                language=language,
                title=title[:300],
                body=body,
                url=url,
                extra=extra or {},
                subject_type=subject_type,
                subject_id=subject_id,
            )
            for webhook in webhooks
        ]
    created = Delivery.objects.bulk_create(deliveries)
    for delivery in created:
        queue_delivery_after_commit(delivery.pk)
    return Notified(notifications=len(notifications), deliveries=len(created))


def _create_notifications(fresh: list[Notification]) -> list[Notification]:
    """Insert in one statement; if someone else told one of these people at the same moment,
    insert one by one and keep only those that were new."""
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(fresh)
    except IntegrityError:
        created = []
        for notification in fresh:
            try:
                with transaction.atomic():
                    notification.save()
            except IntegrityError:
                continue
            created.append(notification)
        return created


def publish_delivery(delivery_id: int) -> None:
    """Queue the send job now, by its registered name."""
    # ignore_result: nobody reads it, and with Redis down a result backend would hold the
    # publish (and the request that caused it) for about 20 seconds.
    current_app.send_task(SEND_DELIVERY_JOB, args=[delivery_id], ignore_result=True)


def queue_delivery_after_commit(delivery_id: int) -> None:
    """Publish the send job once the transaction commits. A broker that is down does not fail
    the request or the check: the delivery stays pending and the sweep sends it."""

    def publish():
        try:
            publish_delivery(delivery_id)
        except Exception:
            logger.warning("Could not queue delivery %s; the sweep will send it.", delivery_id, exc_info=True)

    transaction.on_commit(publish)


def notification_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of a person's notifications read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


# Sending ----------------------------------------------------------------------------------


def delivery_retry(*, delivery: Delivery) -> Delivery:
    """An administrator sends a failed delivery again."""
    delivery.state, delivery.attempts, delivery.next_attempt_at = DeliveryState.PENDING, 0, timezone.now()
    delivery.save(update_fields=["state", "attempts", "next_attempt_at"])
    queue_delivery_after_commit(delivery.pk)
    return delivery


def delivery_attempt(*, delivery_id: int, max_attempts: int | None = None) -> str:
    """Try to send one delivery; returns its state afterwards.

    The row is locked while sending, so two workers (a retry and the sweep) never send the
    same message twice; a sent or failed delivery is left alone. A failure is recorded with
    its error and raised again as DeliveryError for the job to retry; the last failure marks
    the delivery failed, where administrators see it.
    """
    max_attempts = max_attempts or settings.DELIVERY_MAX_ATTEMPTS
    with transaction.atomic():
        delivery = (
            # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins.
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification__recipient", "webhook")
            .filter(pk=delivery_id, state=DeliveryState.PENDING)
            .first()
        )
        if delivery is None:
            return "skipped"
        delivery.attempts += 1
        try:
            _send(delivery)
        except DeliveryError as exc:
            delivery.last_error = str(exc)[:2000]
            if delivery.attempts >= max_attempts:
                delivery.state = DeliveryState.FAILED
                logger.error("Delivery %s failed for good after %s attempts: %s", delivery.pk, delivery.attempts, exc)
            else:
                delivery.next_attempt_at = timezone.now() + _backoff(delivery.attempts)
            delivery.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
            if delivery.state == DeliveryState.FAILED:
                return delivery.state
            failure = exc
        else:
            delivery.state, delivery.sent_at, delivery.last_error = DeliveryState.SENT, timezone.now(), ""
            delivery.save(update_fields=["attempts", "state", "sent_at", "last_error"])
            return delivery.state
    raise failure


def _send(delivery: Delivery) -> None:
    if delivery.channel == DeliveryChannel.EMAIL:
        notification = delivery.notification
        send_email(
            to=notification.recipient.email,
            subject=notification.title,
            body=f"{notification.body}\n\n{notification.link()}",
        )
        return
    payload = webhook_payload(
        kind=delivery.webhook.kind,
        title=delivery.title,
        text=delivery.body,
        url=absolute_url(delivery.url),
        event=delivery.kind,
        extra=delivery.extra,
    )
    post_webhook(delivery.webhook, payload)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, settings.DELIVERY_RETRY_BACKOFF_SECONDS * 2 ** (attempts - 1)))


def deliveries_due(*, now=None, limit: int = 500) -> list[int]:
    """Pending deliveries whose next attempt is due (for the sweep)."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


# Chat webhooks ----------------------------------------------------------------------------

SIGNED_KINDS = {WebhookKind.DINGTALK, WebhookKind.FEISHU}


@transaction.atomic
def webhook_save(
    *,
    webhook: ChatWebhook | None = None,
    name: str,
    kind: str,
    url: str,
    secret: str = "",
    is_active: bool = True,
    scope: models.Model | None = None,
    department: Department | None = None,
    by: User | None = None,
) -> ChatWebhook:
    """Create or change a chat group's webhook, for a scope (e.g. a campaign) or a department."""
    webhook = webhook or ChatWebhook()
    if scope is None and department is None:
        raise ValidationError(_("A chat webhook belongs to a campaign or a department."))
    webhook.name, webhook.kind, webhook.url, webhook.is_active = name.strip(), kind, url.strip(), is_active
    # A blank secret on an edit keeps the one saved (the form never shows it back).
    if webhook.kind not in SIGNED_KINDS:
        webhook.secret = ""
    elif secret:
        webhook.secret = secret
    webhook.department = department
    webhook.scope_type = ContentType.objects.get_for_model(scope) if scope is not None else None
    webhook.scope_id = scope.pk if scope is not None else None
    webhook.full_clean()
    if by is not None:
        webhook._history_user = by
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(*, webhook: ChatWebhook, by: User | None = None) -> None:
    """Remove a chat group's webhook (its sent messages go with it)."""
    if by is not None:
        webhook._history_user = by
    webhook.delete()


def webhook_send_test(*, webhook: ChatWebhook, by: User) -> None:
    """Send a test message to a chat group now (no transaction is open during the call);
    raises DeliveryError with what went wrong."""
    language = user_language(by)
    with translation.override(language):
        title = _("Test message from the marketing plan tracker")
        text = _("%(name)s set up this chat group's webhook; alerts and other messages will arrive here.") % {
            "name": str(by)
        }
    payload = webhook_payload(
        kind=webhook.kind, title=title, text=text, url=settings.SITE_URL + "/", event="test", extra={}
    )
    post_webhook(webhook, payload)
