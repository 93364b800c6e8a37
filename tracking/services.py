"""Writes for tracking: the alert lifecycle and the notification outbox.

Every notification and delivery is written in the same transaction as the alert event that
causes it; sending happens after commit (see jobs.send_delivery) and a periodic sweep sends
whatever is still pending, so nothing is lost when the broker is down.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from tasks.models import Task

from .models import (
    OPEN_STATES,
    Alert,
    AlertState,
    ChatWebhook,
    Delivery,
    DeliveryChannel,
    DeliveryState,
    Notification,
    NotificationKind,
    Threshold,
    ThresholdKind,
)

logger = logging.getLogger(__name__)


# Recipients -------------------------------------------------------------------------------


def threshold_recipients(threshold: Threshold) -> list[User]:
    """Who hears about a threshold's alerts: the campaign's owner (or the plan's), the people
    added to the threshold, and for task thresholds the Responsible and Accountable of the
    campaign's overdue tasks."""
    people = {}
    campaign = alert_campaign(threshold)
    if campaign is not None:
        people[campaign.owner_id] = campaign.owner
    elif threshold.target_id and threshold.target.plan_id:
        people[threshold.target.plan.owner_id] = threshold.target.plan.owner
    elif threshold.plan_id:
        people[threshold.plan.owner_id] = threshold.plan.owner
    for user in threshold.recipients.all():
        people[user.pk] = user
    if threshold.kind == ThresholdKind.TASKS_OVERDUE and campaign is not None:
        overdue = Task.objects.overdue(today=timezone.localdate()).filter(campaign=campaign)
        for user in User.objects.filter(Q(responsible_tasks__in=overdue) | Q(accountable_tasks__in=overdue)).distinct():
            people[user.pk] = user
    return [user for user in people.values() if user.is_active]


def alert_campaign(threshold: Threshold):
    if threshold.campaign_id:
        return threshold.campaign
    if threshold.target_id and threshold.target.campaign_id:
        return threshold.target.campaign
    return None


def escalation_recipients(alert: Alert) -> list[User]:
    """An unacknowledged alert escalates to the accountable person (the campaign owner, who is
    accountable for its goals), the plan owner and the executives."""
    people = {user.pk: user for user in threshold_recipients(alert.threshold)}
    if alert.campaign_id:
        people[alert.campaign.plan.owner_id] = alert.campaign.plan.owner
    for executive in User.objects.active().with_role(Role.EXECUTIVE):
        people[executive.pk] = executive
    return list(people.values())


# Notifications ----------------------------------------------------------------------------


def _language(user: User | None) -> str:
    return (user.language if user and user.language else None) or settings.LANGUAGE_CODE


def alert_message(alert: Alert, kind: str, language: str) -> tuple[str, str]:
    """The title and text of an alert event, in a language."""
    with translation.override(language):
        severity = alert.get_severity_display()
        if kind == NotificationKind.ALERT_OPENED:
            title = _("[%(severity)s] Alert: %(summary)s") % {
                "severity": severity,
                "summary": alert.summary_in(language),
            }
            body = _("Observed %(observed)s, expected %(expected)s. Start the analysis within %(hours)s hours.") % {
                "observed": _fmt(alert.observed),
                "expected": _fmt(alert.expected),
                "hours": int(settings.ALERT_RESPONSE_TIME.total_seconds() // 3600),
            }
        elif kind == NotificationKind.ALERT_ESCALATED:
            title = _("[%(severity)s] Not acknowledged in time: %(summary)s") % {
                "severity": severity,
                "summary": alert.summary_in(language),
            }
            body = _("This alert was opened %(opened)s and nobody has started its analysis yet.") % {
                "opened": timezone.localtime(alert.opened_at).strftime("%Y-%m-%d %H:%M")
            }
        else:
            title = _("Recovered: %(summary)s") % {"summary": alert.summary_in(language)}
            body = _("The metric is back within its threshold (observed %(observed)s); the alert is resolved.") % {
                "observed": _fmt(alert.observed)
            }
    return title, body


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return "–"
    value = value.quantize(Decimal("0.01"))
    return f"{value.normalize():,f}" if value != value.to_integral_value() else f"{int(value):,}"


@dataclass
class Notified:
    notifications: int = 0
    deliveries: int = 0


def notify_alert(*, alert: Alert, kind: str, recipients: list[User]) -> Notified:
    """In-app notifications for each person (once per alert event), their e-mails, and one
    message to each chat group of the campaign and of the recipients' departments. Must run
    inside the transaction of the alert event; sending is queued after commit."""
    result = Notified()
    url = f"{settings.SITE_URL}{alert.get_absolute_url()}"
    created_deliveries = []
    for user in recipients:
        title, body = alert_message(alert, kind, _language(user))
        notification, created = Notification.objects.get_or_create(
            recipient=user, alert=alert, kind=kind, defaults={"title": title, "body": body, "url": url}
        )
        if not created:
            continue
        result.notifications += 1
        if user.notify_by_email and user.email:
            created_deliveries.append(
                Delivery.objects.create(
                    channel=DeliveryChannel.EMAIL,
                    notification=notification,
                    alert=alert,
                    event=kind,
                    language=_language(user),
                )
            )
    for webhook in _webhooks_for(alert, recipients):
        delivery, created = Delivery.objects.get_or_create(
            webhook=webhook,
            alert=alert,
            event=kind,
            defaults={
                "channel": DeliveryChannel.WEBHOOK,
                "language": _language(alert.campaign.owner if alert.campaign_id else None),
            },
        )
        if created:
            created_deliveries.append(delivery)
    result.deliveries = len(created_deliveries)
    for delivery in created_deliveries:
        queue_delivery_after_commit(delivery.pk)
    return result


def _webhooks_for(alert: Alert, recipients: list[User]) -> list[ChatWebhook]:
    webhooks = ChatWebhook.objects.filter(is_active=True)
    departments = {user.department_id for user in recipients if user.department_id and user.notify_by_chat}
    selected = webhooks.none()
    if alert.campaign_id:
        selected = webhooks.filter(campaign_id=alert.campaign_id)
    if departments:
        selected = selected | webhooks.filter(department_id__in=departments)
    return list(selected.distinct())


def queue_delivery_after_commit(delivery_id: int) -> None:
    """Publish the send job once the transaction commits. A broker that is down does not fail
    the request or the check: the delivery stays pending and the sweep sends it."""

    def publish():
        from .jobs import send_delivery

        try:
            send_delivery.delay(delivery_id)
        except Exception:
            logger.warning("Could not queue delivery %s; the sweep will send it.", delivery_id, exc_info=True)

    transaction.on_commit(publish)


# Alert lifecycle --------------------------------------------------------------------------


@dataclass
class Breach:
    """What a check found for one threshold and scope."""

    observed: Decimal | None
    expected: Decimal | None
    summary: str
    summary_zh: str = ""


def alert_open_or_keep(*, threshold: Threshold, breach: Breach, now=None) -> tuple[Alert, bool]:
    """Open an alert for a breach, or keep the one already open (no new notification).

    The unique constraint decides between two checks running at once: the loser finds the
    winner's alert. Returns (alert, opened).
    """
    now = now or timezone.now()
    scope_key = threshold.scope_key
    existing = Alert.objects.filter(threshold=threshold, scope_key=scope_key, state__in=OPEN_STATES).first()
    if existing is not None:
        Alert.objects.filter(pk=existing.pk).update(
            observed=breach.observed, expected=breach.expected, last_checked_at=now
        )
        return existing, False
    campaign = alert_campaign(threshold)
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                threshold=threshold,
                scope_key=scope_key,
                campaign=campaign,
                target=threshold.target,
                severity=threshold.severity,
                observed=breach.observed,
                expected=breach.expected,
                summary=breach.summary[:300],
                summary_zh=breach.summary_zh[:300],
                opened_at=now,
                last_checked_at=now,
            )
            notify_alert(alert=alert, kind=NotificationKind.ALERT_OPENED, recipients=threshold_recipients(threshold))
    except IntegrityError:
        alert = Alert.objects.get(threshold=threshold, scope_key=scope_key, state__in=OPEN_STATES)
        return alert, False
    return alert, True


@transaction.atomic
def alert_recover(*, alert: Alert, observed: Decimal | None, now=None) -> bool:
    """The metric is back within its threshold: resolve the alert and tell the same people."""
    now = now or timezone.now()
    changed = Alert.objects.filter(pk=alert.pk, state__in=OPEN_STATES).update(
        state=AlertState.AUTO_RESOLVED, resolved_at=now, observed=observed, last_checked_at=now
    )
    if not changed:
        return False
    alert.refresh_from_db()
    told = (
        Notification.objects.filter(alert=alert)
        .exclude(kind=NotificationKind.ALERT_RECOVERED)
        .select_related("recipient")
    )
    recipients = list({n.recipient_id: n.recipient for n in told}.values())
    notify_alert(alert=alert, kind=NotificationKind.ALERT_RECOVERED, recipients=recipients)
    return True


@transaction.atomic
def alert_acknowledge(*, alert: Alert, by: User, note: str) -> Alert:
    """Start the analysis: who looks at what. Stops the 24-hour clock."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"analysis_note": _("Say what is being looked at and by whom: the analysis note is required.")}
        )
    if alert.state != AlertState.OPEN:
        raise ValidationError({"state": _("Only an open alert can be acknowledged.")})
    alert.state, alert.analysis_note = AlertState.ACKNOWLEDGED, note
    alert.acknowledged_by, alert.acknowledged_at = by, timezone.now()
    alert.save()
    return alert


@transaction.atomic
def alert_resolve(*, alert: Alert, by: User, note: str = "") -> Alert:
    """Close an alert by hand."""
    if alert.state not in OPEN_STATES:
        raise ValidationError({"state": _("This alert is already resolved.")})
    note = (note or "").strip()
    if note:
        alert.analysis_note = f"{alert.analysis_note}\n{note}".strip()
    alert.state, alert.resolved_by, alert.resolved_at = AlertState.RESOLVED, by, timezone.now()
    alert.save()
    return alert


def alert_escalate(*, alert_id: int, now=None) -> bool:
    """Escalate an alert nobody acknowledged in time, once: the guarded update decides."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Alert.objects.filter(
            pk=alert_id,
            state=AlertState.OPEN,
            escalated_at__isnull=True,
            opened_at__lte=now - settings.ALERT_RESPONSE_TIME,
        ).update(escalated_at=now)
        if not claimed:
            return False
        alert = Alert.objects.select_related("threshold", "campaign__plan__owner", "campaign__owner").get(pk=alert_id)
        notify_alert(alert=alert, kind=NotificationKind.ALERT_ESCALATED, recipients=escalation_recipients(alert))
    return True


def escalate_overdue_alerts(*, now=None) -> int:
    """Escalate every alert past its response time; returns how many escalated."""
    ids = list(
        Alert.objects.overdue_for_acknowledgement(now=now)
        .filter(escalated_at__isnull=True)
        .values_list("pk", flat=True)
    )
    return sum(alert_escalate(alert_id=pk, now=now) for pk in ids)


def notification_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of a person's notifications read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def delivery_retry(*, delivery: Delivery) -> Delivery:
    """An administrator sends a failed delivery again."""
    delivery.state, delivery.attempts, delivery.next_attempt_at = DeliveryState.PENDING, 0, timezone.now()
    delivery.save(update_fields=["state", "attempts", "next_attempt_at"])
    queue_delivery_after_commit(delivery.pk)
    return delivery


# Sending ----------------------------------------------------------------------------------


def delivery_attempt(*, delivery_id: int, max_attempts: int | None = None) -> str:
    """Try to send one delivery; returns its state afterwards.

    The row is locked while sending, so two workers (a retry and the sweep) never send the
    same message twice; a sent or failed delivery is left alone. A failure is recorded with
    its error and raised again as DeliveryError for the job to retry; the last failure marks
    the delivery failed, where administrators see it.
    """
    from .senders import DeliveryError, post_webhook, send_email, webhook_payload

    max_attempts = max_attempts or settings.DELIVERY_MAX_ATTEMPTS
    with transaction.atomic():
        delivery = (
            # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins.
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification__recipient", "webhook", "alert")
            .filter(pk=delivery_id, state=DeliveryState.PENDING)
            .first()
        )
        if delivery is None:
            return "skipped"
        delivery.attempts += 1
        try:
            if delivery.channel == DeliveryChannel.EMAIL:
                notification = delivery.notification
                send_email(
                    to=notification.recipient.email,
                    subject=notification.title,
                    body=f"{notification.body}\n\n{notification.url}",
                )
            else:
                alert = delivery.alert
                title, text = alert_message(alert, delivery.event, delivery.language)
                payload = webhook_payload(
                    kind=delivery.webhook.kind,
                    title=title,
                    text=text,
                    url=f"{settings.SITE_URL}{alert.get_absolute_url()}",
                    event=delivery.event,
                    severity=alert.severity,
                    alert_id=alert.pk,
                )
                post_webhook(delivery.webhook, payload)
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


def _backoff(attempts: int):
    from datetime import timedelta

    return timedelta(seconds=min(3600, settings.DELIVERY_RETRY_BACKOFF_SECONDS * 2 ** (attempts - 1)))


def deliveries_due(*, now=None, limit: int = 500) -> list[int]:
    """Pending deliveries whose next attempt is due (for the sweep)."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


# Thresholds -------------------------------------------------------------------------------


@transaction.atomic
def threshold_save(*, threshold: Threshold, recipients: list[User] | None = None, by: User | None = None) -> Threshold:
    """Create or change a threshold after checking it can be evaluated (messages by field)."""
    from .rules import problems

    found = problems(threshold)
    if found:
        raise ValidationError(found)
    if threshold.target_id and not threshold.campaign_id and threshold.target.campaign_id:
        threshold.campaign = threshold.target.campaign
    if threshold.target_id and not threshold.plan_id and threshold.target.plan_id:
        threshold.plan = threshold.target.plan
    if threshold.pk is None:
        threshold.created_by = by
    if by is not None:
        threshold._history_user = by
    threshold.full_clean()
    threshold.save()
    if recipients is not None:
        threshold.recipients.set(recipients)
    return threshold
