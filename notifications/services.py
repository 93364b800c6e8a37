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
from email.utils import parseaddr

from celery import current_app
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
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


@dataclass
class Event:
    """One event to tell people and chat groups about: what ``notify`` takes, for ``notify_many``."""

    recipients: Iterable[User]
    wording: Wording
    subject: models.Model | None = None
    dedupe_key: str = ""
    url: str = ""
    webhook_scopes: Iterable[models.Model] = ()
    webhook_departments: bool = False
    webhook_language: str | None = None
    extra: dict | None = None


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
    event = Event(
        recipients=recipients,
        wording=wording,
        subject=subject,
        dedupe_key=dedupe_key,
        url=url,
        webhook_scopes=webhook_scopes,
        webhook_departments=webhook_departments,
        webhook_language=webhook_language,
        extra=extra,
    )
    return notify_many(kind=kind, events=[event], now=now)


def notify_many(*, kind: str, events: list[Event], now: datetime | None = None) -> Notified:
    """``notify`` for many events of one kind at once (the alerts a check opens), in a fixed
    number of queries whatever their number: who was told already, the notifications' insert,
    the chat webhooks, their messages already written, the deliveries' insert; sending is
    published in one go after commit."""
    now = now or timezone.now()
    planned = []
    for event in events:
        if event.subject is None and not event.dedupe_key:
            raise ValueError("A notification needs a subject or a dedupe key.")
        subject_type = ContentType.objects.get_for_model(event.subject) if event.subject is not None else None
        about = {
            "subject_type": subject_type,
            "subject_id": event.subject.pk if event.subject is not None else None,
            "dedupe_key": event.dedupe_key,
        }
        planned.append((event, about, {user.pk: user for user in event.recipients if user.is_active}))
    told = _already_told(kind, [(about, people) for _event, about, people in planned])
    fresh = []
    for event, about, people in planned:
        for user in people.values():
            if (user.pk, *_about_key(about)) in told:
                continue
            texts = _texts(event.wording, user)
            title, body = texts.get(user_language(user).lower()) or next(iter(texts.values()))
            fresh.append(
                Notification(
                    recipient=user,
                    kind=kind,
                    title=title,
                    body=body,
                    texts=texts,
                    url=event.url,
                    created_at=now,
                    **about,
                )
            )
    notifications = _create_notifications(fresh)
    deliveries = [
        Delivery(
            channel=DeliveryChannel.EMAIL,
            notification=notification,
            kind=kind,
            language=user_language(notification.recipient),
            subject_type=notification.subject_type,
            subject_id=notification.subject_id,
        )
        for notification in notifications
        if notification.recipient.notify_by_email and notification.recipient.email
    ]
    deliveries += _webhook_deliveries(kind, planned)
    created = Delivery.objects.bulk_create(deliveries)
    queue_deliveries_after_commit([delivery.pk for delivery in created])
    return Notified(notifications=len(notifications), deliveries=len(created))


def _about_key(about: dict) -> tuple:
    subject_type = about["subject_type"]
    return (subject_type.pk if subject_type is not None else None, about["subject_id"], about["dedupe_key"])


def _already_told(kind: str, planned: list[tuple[dict, dict[int, User]]]) -> set[tuple]:
    """(recipient, subject type, subject, dedupe key) of the planned notifications that exist
    already, in one query."""
    recipients = {pk for _about, people in planned for pk in people}
    by_type, keys = {}, set()
    for about, people in planned:
        if not people:
            continue
        if about["subject_type"] is not None:
            by_type.setdefault(about["subject_type"].pk, set()).add(about["subject_id"])
        else:
            keys.add(about["dedupe_key"])
    condition = Q(pk__in=[])
    for type_id, ids in by_type.items():
        condition |= Q(subject_type_id=type_id, subject_id__in=ids)
    if keys:
        condition |= Q(subject_type__isnull=True, dedupe_key__in=keys)
    if not recipients or (not by_type and not keys):
        return set()
    return set(
        Notification.objects.filter(condition, recipient_id__in=recipients, kind=kind).values_list(
            "recipient_id", "subject_type_id", "subject_id", "dedupe_key"
        )
    )


def _webhook_deliveries(kind: str, planned: list[tuple[Event, dict, dict[int, User]]]) -> list[Delivery]:
    """One chat message per event to each chat group it reaches and that has not heard of it:
    the webhooks of all the events read in one query, their messages already written in one more."""
    wanted = []
    for event, about, people in planned:
        scopes = {(ContentType.objects.get_for_model(scope).pk, scope.pk) for scope in event.webhook_scopes}
        departments = set()
        if event.webhook_departments:
            departments = {user.department_id for user in people.values() if user.department_id and user.notify_by_chat}
        wanted.append((event, about, scopes, departments))
    all_scopes = {scope for event in planned for scope in event[0].webhook_scopes}
    all_departments = {department for *_rest, departments in wanted for department in departments}
    if not all_scopes and not all_departments:
        return []
    webhooks = list(ChatWebhook.objects.for_scopes(scopes=all_scopes, department_ids=all_departments).distinct())
    reached = []
    for event, about, scopes, departments in wanted:
        for webhook in webhooks:
            if (webhook.scope_type_id, webhook.scope_id) in scopes or webhook.department_id in departments:
                reached.append((event, about, webhook))
    subjects = {}
    for _event, about, _webhook in reached:
        if about["subject_type"] is not None:
            subjects.setdefault(about["subject_type"].pk, set()).add(about["subject_id"])
    already = set()
    if subjects:
        condition = Q(pk__in=[])
        for type_id, ids in subjects.items():
            condition |= Q(subject_type_id=type_id, subject_id__in=ids)
        already = set(
            Delivery.objects.filter(
                condition, webhook_id__in={webhook.pk for _e, _a, webhook in reached}, kind=kind
            ).values_list("webhook_id", "subject_type_id", "subject_id")
        )
    deliveries, worded = [], {}
    for event, about, webhook in reached:
        subject_type = about["subject_type"]
        if subject_type is not None and (webhook.pk, subject_type.pk, about["subject_id"]) in already:
            continue
        language = event.webhook_language or settings.LANGUAGE_CODE
        if id(event) not in worded:
            with translation.override(language):
                worded[id(event)] = event.wording(language, None)
        title, body = worded[id(event)]
        deliveries.append(
            Delivery(
                channel=DeliveryChannel.WEBHOOK,
                webhook=webhook,
                kind=kind,
                language=language,
                title=title[:300],
                body=body,
                url=event.url,
                extra=event.extra or {},
                subject_type=subject_type,
                subject_id=about["subject_id"],
            )
        )
    return deliveries


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


def publish_deliveries(delivery_ids: list[int]) -> None:
    """Queue the send job of each delivery now, by its registered name, over one connection
    to the broker."""
    app = current_app
    with app.producer_or_acquire() as producer:
        for delivery_id in delivery_ids:
            # ignore_result: nobody reads it, and with Redis down a result backend would hold the
            # publish (and the request that caused it) for about 20 seconds.
            app.send_task(SEND_DELIVERY_JOB, args=[delivery_id], ignore_result=True, producer=producer)


def queue_deliveries_after_commit(delivery_ids: list[int]) -> None:
    """Publish the deliveries' send jobs once the transaction commits, all in one callback. A
    broker that is down does not fail the request or the check: the deliveries stay pending
    and the sweep sends them."""
    if not delivery_ids:
        return
    delivery_ids = list(delivery_ids)

    def publish():
        try:
            publish_deliveries(delivery_ids)
        except Exception:
            logger.warning(
                "Could not queue %s deliveries (from %s); the sweep will send them.",
                len(delivery_ids),
                delivery_ids[0],
                exc_info=True,
            )

    transaction.on_commit(publish)


def notification_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of a person's notifications read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


# Sending ----------------------------------------------------------------------------------
#
# One schedule decides when a delivery is attempted: its next_attempt_at. Whoever picks it up
# (the send job, the job's own retry, the minute sweep) first claims it in one short
# statement that succeeds only if it is due, marking it "sending" with a lease; the e-mail or
# HTTP call happens outside any transaction; a second short statement records the outcome
# and, after a failure, the next attempt's time. A sender that dies mid-send loses its claim
# when the lease runs out, and the sweep takes the delivery up again.


class DeliveryPostponed(DeliveryError):
    """An attempt failed; the delivery waits for its next attempt at ``retry_at``."""

    def __init__(self, message: str, *, retry_at: datetime):
        super().__init__(message)
        self.retry_at = retry_at


def delivery_retry(*, delivery: Delivery) -> Delivery:
    """An administrator sends a failed or expired delivery again: it starts afresh (attempts,
    and the age after which it expires, count from now). One being sent or sent is left alone."""
    now = timezone.now()
    again = Delivery.objects.filter(
        pk=delivery.pk, state__in=[DeliveryState.PENDING, DeliveryState.FAILED, DeliveryState.EXPIRED]
    ).update(state=DeliveryState.PENDING, attempts=0, next_attempt_at=now, created_at=now, lease_until=None)
    if again:
        queue_deliveries_after_commit([delivery.pk])
    delivery.refresh_from_db()
    return delivery


def _claimable(now: datetime) -> Q:
    """Deliveries a sender may claim at ``now``: pending and due, or claimed by a sender whose
    lease has run out; never one older than DELIVERY_MAX_AGE (the sweep expires those)."""
    return (
        Q(state=DeliveryState.PENDING, next_attempt_at__lte=now) | Q(state=DeliveryState.SENDING, lease_until__lte=now)
    ) & Q(created_at__gt=now - settings.DELIVERY_MAX_AGE)


def delivery_claim(*, delivery_id: int, now: datetime | None = None) -> Delivery | None:
    """Claim a due delivery for one attempt (one statement: two senders cannot both win it);
    None if it is not due, already claimed, done or gone."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(_claimable(now), pk=delivery_id).update(
        state=DeliveryState.SENDING,
        lease_until=now + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("notification__recipient", "webhook").get(pk=delivery_id)


def delivery_attempt(*, delivery_id: int, max_attempts: int | None = None, now: datetime | None = None) -> str:
    """Try to send one delivery if it is due; returns its state afterwards, or "skipped".

    A failure is recorded with its error and the time of the next attempt (the backoff), then
    raised as DeliveryPostponed; the last failure marks the delivery failed, where
    administrators see it. No transaction or row lock is held while sending. ``now`` stands
    for the clock (tests).
    """
    max_attempts = max_attempts or settings.DELIVERY_MAX_ATTEMPTS
    delivery = delivery_claim(delivery_id=delivery_id, now=now)
    if delivery is None:
        return "skipped"
    try:
        _send(delivery)
    except Exception as exc:
        # A bug or the job's soft time limit is recorded and backed off like a refusal.
        state, retry_at = _record_failure(delivery, error=exc, max_attempts=max_attempts, now=now)
        if not isinstance(exc, DeliveryError):
            raise
        if retry_at is None:
            return state
        raise DeliveryPostponed(str(exc), retry_at=retry_at) from exc
    return _record_outcome(delivery, state=DeliveryState.SENT, sent_at=now or timezone.now(), last_error="")


def _record_outcome(delivery: Delivery, **fields) -> str:
    """Record an attempt's outcome if this sender still holds the claim it made."""
    held = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING, attempts=delivery.attempts)
    if not held.update(lease_until=None, **fields):
        logger.warning("Delivery %s: the claim ran out before attempt %s ended.", delivery.pk, delivery.attempts)
        return "skipped"
    return fields["state"]


def _record_failure(
    delivery: Delivery, *, error: Exception, max_attempts: int, now: datetime | None
) -> tuple[str, datetime | None]:
    message = (str(error) if isinstance(error, DeliveryError) else f"{type(error).__name__}: {error}")[:2000]
    if delivery.attempts >= max_attempts:
        logger.error("Delivery %s failed for good after %s attempts: %s", delivery.pk, delivery.attempts, message)
        return _record_outcome(delivery, state=DeliveryState.FAILED, last_error=message), None
    retry_at = (now or timezone.now()) + delivery_backoff(delivery.attempts)
    state = _record_outcome(delivery, state=DeliveryState.PENDING, last_error=message, next_attempt_at=retry_at)
    return state, (retry_at if state == DeliveryState.PENDING else None)


def _send(delivery: Delivery) -> None:
    if delivery.channel == DeliveryChannel.EMAIL:
        notification = delivery.notification
        send_email(
            to=notification.recipient.email,
            subject=notification.title,
            body=f"{notification.body}\n\n{notification.link()}",
            message_id=f"<{delivery.key}@{_mail_domain()}>",
        )
        return
    payload = webhook_payload(
        kind=delivery.webhook.kind,
        title=delivery.title,
        text=delivery.body,
        url=absolute_url(delivery.url),
        event=delivery.kind,
        extra=delivery.extra,
        message_id=str(delivery.key),
    )
    post_webhook(delivery.webhook, payload, idempotency_key=str(delivery.key))


def _mail_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def delivery_backoff(attempts: int) -> timedelta:
    """The wait after a delivery's n-th failed attempt: DELIVERY_RETRY_BACKOFF_SECONDS, doubled
    after each further failure (30, 60, 120, 240, 480 s), at most an hour."""
    return timedelta(seconds=min(3600, settings.DELIVERY_RETRY_BACKOFF_SECONDS * 2 ** (attempts - 1)))


def deliveries_due(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Deliveries a sender may claim now, the longest due first (for the sweep)."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(_claimable(now)).order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )


def deliveries_expire(*, now: datetime | None = None) -> int:
    """Mark expired, never to be sent, the deliveries still waiting to be sent when older than
    DELIVERY_MAX_AGE (a restored backup's outbox, a long outage): news days late is noise.
    One being sent under a live claim is left to its sender."""
    now = now or timezone.now()
    waiting = Q(state=DeliveryState.PENDING) | Q(state=DeliveryState.SENDING, lease_until__lte=now)
    expired = Delivery.objects.filter(waiting, created_at__lte=now - settings.DELIVERY_MAX_AGE).update(
        state=DeliveryState.EXPIRED, lease_until=None
    )
    if expired:
        logger.warning("%s deliveries older than %s expired unsent.", expired, settings.DELIVERY_MAX_AGE)
    return expired


def deliveries_abandon(*, now: datetime | None = None, max_attempts: int | None = None) -> int:
    """Mark failed the deliveries whose last allowed attempt's sender died (its claim ran
    out): no attempt is left to retry them."""
    now = now or timezone.now()
    max_attempts = max_attempts or settings.DELIVERY_MAX_ATTEMPTS
    return Delivery.objects.filter(
        state=DeliveryState.SENDING, lease_until__lte=now, attempts__gte=max_attempts
    ).update(
        state=DeliveryState.FAILED,
        lease_until=None,
        # Like the transport errors beside it, for administrators, in English.
        last_error="The sender stopped before its last attempt ended; the message may or may not have arrived.",
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
