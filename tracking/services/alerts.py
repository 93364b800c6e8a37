"""Writes for alerts: their lifecycle (open, keep, recover, acknowledge, resolve, escalate)
and who hears about each event.

Every notification and delivery is written through notifications.services.notify in the same
transaction as the alert event that causes it; sending happens after commit and a periodic
sweep sends whatever is still pending, so nothing is lost when the broker is down.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from notifications.models import Notification
from notifications.services import Event, Notified, notify_many, user_language
from tasks.models import Task

from ..formatting import format_figure
from ..models import OPEN_STATES, Alert, AlertState, NotificationKind, Threshold, ThresholdKind

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


def thresholds_recipients(thresholds: list[Threshold]) -> tuple[dict[int, list[User]], dict[int, User]]:
    """threshold_recipients() of many thresholds in a fixed number of queries (the people added
    to them, the overdue tasks' people, the owners and those people), by threshold id; and
    the owners and task people read, active or not, by id."""
    owner_of = {}
    for threshold in thresholds:
        campaign = alert_campaign(threshold)
        if campaign is not None:
            owner_of[threshold.pk] = campaign.owner_id
        elif threshold.target_id and threshold.target.plan_id:
            owner_of[threshold.pk] = threshold.target.plan.owner_id
        elif threshold.plan_id:
            owner_of[threshold.pk] = threshold.plan.owner_id
    added = defaultdict(list)
    through = Threshold.recipients.through
    for row in (
        through.objects.filter(threshold_id__in=[t.pk for t in thresholds])
        .select_related("user")
        .order_by(*[f"user__{name}" for name in User._meta.ordering], "user__pk")
    ):
        added[row.threshold_id].append(row.user)
    task_people = defaultdict(set)
    task_campaigns = {
        campaign.pk
        for threshold in thresholds
        if threshold.kind == ThresholdKind.TASKS_OVERDUE and (campaign := alert_campaign(threshold)) is not None
    }
    if task_campaigns:
        overdue = Task.objects.overdue(today=timezone.localdate()).filter(campaign_id__in=task_campaigns)
        for campaign_id, responsible_id, accountable_id in overdue.values_list(
            "campaign_id", "responsible_id", "accountable_id"
        ):
            task_people[campaign_id].update(pk for pk in (responsible_id, accountable_id) if pk is not None)
    wanted = set(owner_of.values()) | {pk for people in task_people.values() for pk in people}
    # In User's own order, as the one-threshold query lists a campaign's task people.
    users = {user.pk: user for user in User.objects.filter(pk__in=wanted)} if wanted else {}
    position = {pk: n for n, pk in enumerate(users)}
    recipients = {}
    for threshold in thresholds:
        people = {}
        owner = users.get(owner_of.get(threshold.pk))
        if owner is not None:
            people[owner.pk] = owner
        for user in added[threshold.pk]:
            people[user.pk] = user
        if threshold.kind == ThresholdKind.TASKS_OVERDUE and (campaign := alert_campaign(threshold)) is not None:
            for pk in sorted(task_people[campaign.pk], key=position.__getitem__):
                people[pk] = users[pk]
        recipients[threshold.pk] = [user for user in people.values() if user.is_active]
    return recipients, users


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
                "observed": format_figure(alert.observed, alert.threshold),
                "expected": format_figure(alert.expected, alert.threshold),
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
                "observed": format_figure(alert.observed, alert.threshold)
            }
    return title, body


def alert_event(*, alert: Alert, kind: str, recipients: list[User], campaign_owner: User | None = None) -> Event:
    """An alert's event for notifications: its people, the chat groups of its campaign and of
    the recipients' departments (in the campaign owner's language), its wording."""
    campaign = alert.campaign if alert.campaign_id else None
    if campaign is not None and campaign_owner is None:
        campaign_owner = campaign.owner
    return Event(
        recipients=recipients,
        subject=alert,
        wording=lambda language, _recipient: alert_message(alert, kind, language),
        url=alert.get_absolute_url(),
        webhook_scopes=[campaign] if campaign is not None else [],
        webhook_departments=True,
        webhook_language=user_language(campaign_owner) if campaign is not None else None,
        extra={"severity": alert.severity, "alert_id": alert.pk},
    )


def alert_notify(*, alert: Alert, kind: str, recipients: list[User]) -> Notified:
    """Tell people about an alert's event (once each) and the chat groups of its campaign and
    of the recipients' departments, through the one way in. Must run inside the transaction
    of the alert event; sending is queued after commit."""
    return notify_many(kind=kind, events=[alert_event(alert=alert, kind=kind, recipients=recipients)])


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
        # updated_at is the real clock's (not `now`, which a caller may set back): BI syncs walk by it.
        Alert.objects.filter(pk=existing.pk).update(
            observed=breach.observed, expected=breach.expected, last_checked_at=now, updated_at=timezone.now()
        )
        return existing, False
    campaign = alert_campaign(threshold)
    try:
        with transaction.atomic():
            alert = _new_alert(threshold, breach, scope_key=scope_key, campaign=campaign, now=now)
            alert.save(force_insert=True)
            alert_notify(alert=alert, kind=NotificationKind.ALERT_OPENED, recipients=threshold_recipients(threshold))
    except IntegrityError:
        alert = Alert.objects.get(threshold=threshold, scope_key=scope_key, state__in=OPEN_STATES)
        return alert, False
    return alert, True


def _new_alert(threshold: Threshold, breach: Breach, *, scope_key: str, campaign, now) -> Alert:
    """An unsaved open alert of a breach: one definition for opening one and opening many."""
    return Alert(
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


def alerts_open(*, breaches: list[tuple[Threshold, Breach]], now=None) -> list[tuple[Alert, bool]] | None:
    """Open an alert for each of many breaches at once (the first check after a mass breach),
    with their notifications and deliveries, in a fixed number of queries whatever their
    number: the recipients, one insert of the alerts, then notify_many. Run inside a
    transaction, on thresholds with no open alert as the caller read them.

    The unique constraint decides here too: if another check opened one of these alerts
    meanwhile, nothing of this call is kept and None is returned; the caller then opens them
    one by one with alert_open_or_keep, which finds the winner's alerts."""
    now = now or timezone.now()
    if not breaches:
        return []
    # The same order in every check, so that two checks at once wait on each other's rows in
    # one order, never in a circle.
    breaches = sorted(breaches, key=lambda pair: pair[0].pk)
    thresholds = [threshold for threshold, _breach in breaches]
    recipients, users = thresholds_recipients(thresholds)
    alerts = [
        _new_alert(threshold, breach, scope_key=threshold.scope_key, campaign=alert_campaign(threshold), now=now)
        for threshold, breach in breaches
    ]
    try:
        with transaction.atomic():
            Alert.objects.bulk_create(alerts)
    except IntegrityError:
        return None
    notify_many(
        kind=NotificationKind.ALERT_OPENED,
        events=[
            alert_event(
                alert=alert,
                kind=NotificationKind.ALERT_OPENED,
                recipients=recipients[alert.threshold_id],
                campaign_owner=users[alert.campaign.owner_id] if alert.campaign_id else None,
            )
            for alert in alerts
        ],
    )
    return [(alert, True) for alert in alerts]


@transaction.atomic
def alert_recover(*, alert: Alert, observed: Decimal | None, now=None) -> bool:
    """The metric is back within its threshold: resolve the alert and tell the same people."""
    now = now or timezone.now()
    changed = Alert.objects.filter(pk=alert.pk, state__in=OPEN_STATES).update(
        state=AlertState.AUTO_RESOLVED,
        resolved_at=now,
        observed=observed,
        last_checked_at=now,
        updated_at=timezone.now(),
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
    alert_notify(alert=alert, kind=NotificationKind.ALERT_RECOVERED, recipients=recipients)
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
        ).update(escalated_at=now, updated_at=timezone.now())
        if not claimed:
            return False
        alert = Alert.objects.select_related("threshold", "campaign__plan__owner", "campaign__owner").get(pk=alert_id)
        alert_notify(alert=alert, kind=NotificationKind.ALERT_ESCALATED, recipients=escalation_recipients(alert))
    return True


def escalate_overdue_alerts(*, now=None) -> int:
    """Escalate every alert past its response time; returns how many escalated."""
    ids = list(
        Alert.objects.overdue_for_acknowledgement(now=now)
        .filter(escalated_at__isnull=True)
        .values_list("pk", flat=True)
    )
    return sum(alert_escalate(alert_id=pk, now=now) for pk in ids)
