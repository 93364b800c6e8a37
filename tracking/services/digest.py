"""The daily digest: each person's overdue tasks, tasks due today, open alerts waiting for
their analysis and the issues they own that are past their deadline, as one in-app
notification and, if they want e-mail, one e-mail.

Everyone's items are read in four queries, whatever the number of people or tasks; the
digests are then written in chunks, each chunk in one transaction that first locks its
people's rows and looks for a digest already sent today. Two runs at once therefore queue
behind each other and the second finds the first's digests: one digest per person per day.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from notifications.services import notify
from tasks.models import Task

from .. import digest_extras
from ..digest_extras import DigestSection
from ..models import Alert, AlertState, Issue, NotificationKind

CHUNK = 500
# Lines listed per section of a digest; the rest are counted.
MAX_LINES = 20


@dataclass
class DigestItems:
    overdue: list[Task] = field(default_factory=list)
    due_today: list[Task] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # the registered sections' items (tracking.digest_extras), by section
    extra: dict[DigestSection, list] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_today or self.alerts or self.issues or any(self.extra.values()))


def digest_items(*, today: date) -> dict[int, DigestItems]:
    """What each active person has to hear about today, by user id, in four queries: tasks
    overdue and due today where they are Responsible, open (unacknowledged) alerts they were
    told about, unresolved issues they own past their deadline."""
    items: dict[int, DigestItems] = defaultdict(DigestItems)
    for task in (
        Task.objects.overdue(today=today)
        .filter(responsible__is_active=True)
        .select_related("campaign")
        .order_by("due_date", "pk")
    ):
        items[task.responsible_id].overdue.append(task)
    for task in (
        Task.objects.open()
        .filter(due_date=today, responsible__is_active=True)
        .select_related("campaign")
        .order_by("campaign_id", "pk")
    ):
        items[task.responsible_id].due_today.append(task)
    seen = set()
    for alert in (
        Alert.objects.filter(
            state=AlertState.OPEN,
            notifications__kind__in=[NotificationKind.ALERT_OPENED, NotificationKind.ALERT_ESCALATED],
            notifications__recipient__is_active=True,
        )
        .annotate(told=F("notifications__recipient_id"))
        .order_by("opened_at", "pk")
    ):
        key = (alert.told, alert.pk)
        if key not in seen:
            seen.add(key)
            items[alert.told].alerts.append(alert)
    for issue in (
        Issue.objects.overdue(today=today)
        .filter(owner__is_active=True)
        .select_related("campaign")
        .order_by("deadline", "pk")
    ):
        items[issue.owner_id].issues.append(issue)
    for section in digest_extras.registered():
        for user_id, found in section.items(today).items():
            if found:
                items[user_id].extra[section] = found
    return dict(items)


def _section(heading: str, entries: list[str]) -> str:
    lines = [heading, *(f"- {entry}" for entry in entries[:MAX_LINES])]
    if len(entries) > MAX_LINES:
        lines.append(_("…and %(count)s more") % {"count": len(entries) - MAX_LINES})
    return "\n".join(lines)


def digest_message(items: DigestItems, *, today: date, language: str) -> tuple[str, str]:
    """The title and text of a person's digest, in their language."""
    with translation.override(language):
        counts, sections = [], []
        if items.overdue:
            count = len(items.overdue)
            counts.append(ngettext("%(count)s overdue task", "%(count)s overdue tasks", count) % {"count": count})
            entries = [
                _("%(task)s (%(campaign)s), due %(due)s")
                % {"task": task.name, "campaign": task.campaign.name, "due": task.due_date.isoformat()}
                for task in items.overdue
            ]
            sections.append(_section(_("Overdue tasks (you are responsible):"), entries))
        if items.due_today:
            count = len(items.due_today)
            counts.append(ngettext("%(count)s task due today", "%(count)s tasks due today", count) % {"count": count})
            entries = [
                _("%(task)s (%(campaign)s)") % {"task": task.name, "campaign": task.campaign.name}
                for task in items.due_today
            ]
            sections.append(_section(_("Due today:"), entries))
        if items.alerts:
            count = len(items.alerts)
            counts.append(ngettext("%(count)s open alert", "%(count)s open alerts", count) % {"count": count})
            entries = [
                _("[%(severity)s] %(summary)s, opened %(opened)s")
                % {
                    "severity": alert.get_severity_display(),
                    "summary": alert.summary_in(translation.get_language()),
                    "opened": timezone.localtime(alert.opened_at).strftime("%Y-%m-%d %H:%M"),
                }
                for alert in items.alerts
            ]
            sections.append(_section(_("Open alerts waiting for their analysis:"), entries))
        if items.issues:
            count = len(items.issues)
            counts.append(
                ngettext("%(count)s issue past its deadline", "%(count)s issues past their deadline", count)
                % {"count": count}
            )
            entries = [
                _("%(issue)s (%(campaign)s), deadline %(deadline)s")
                % {"issue": str(issue), "campaign": issue.campaign.name, "deadline": issue.deadline.isoformat()}
                for issue in items.issues
            ]
            sections.append(_section(_("Issues you own past their deadline:"), entries))
        for section, found in items.extra.items():
            counts.append(f"{section.heading()} ({len(found)})")
            sections.append(_section(f"{section.heading()}:", [section.line(item) for item in found]))
        title = _("Your digest for %(date)s: %(counts)s") % {"date": today.isoformat(), "counts": ", ".join(counts)}
    return title[:300], "\n\n".join(sections)


def send_daily_digests(*, now=None) -> int:
    """Write today's digest for each person with something to report who has none yet, and
    queue their e-mails; returns how many digests were written."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    items = digest_items(today=today)
    people = sorted(user_id for user_id, found in items.items() if found)
    written = 0
    for start in range(0, len(people), CHUNK):
        written += _send_chunk(people[start : start + CHUNK], items=items, now=now, today=today)
    return written


@transaction.atomic
def _send_chunk(user_ids: list[int], *, items: dict[int, DigestItems], now, today: date) -> int:
    # Lock the people first: a second run at the same moment waits here, then finds today's
    # digests already written (and the dedupe key's constraint would refuse a second).
    users = list(User.objects.select_for_update().filter(pk__in=user_ids, is_active=True).order_by("pk"))
    notified = notify(
        recipients=users,
        kind=NotificationKind.DIGEST,
        dedupe_key=f"digest:{today.isoformat()}",
        wording=lambda language, user: digest_message(items[user.pk], today=today, language=language),
        url=reverse("dashboard"),
        now=now,
    )
    return notified.notifications
