"""Writes for the issue register (form 3, 问题记录): recording an issue (by hand or from an
alert in one click), changing it, moving it between open, mitigated and resolved, linking
alerts to it, and telling the owner and the department's lead, once, when its deadline passes.

Every change is kept by the issue's history (who changed what); a state change keeps its
reason there too.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Department, User
from core.dates import date_problem
from notifications.services import notify
from plans.models import Campaign
from tasks.models import Task

from ..formatting import format_figure
from ..models import Alert, Issue, IssueState, NotificationKind, Severity, ThresholdKind
from .alerts import alert_acknowledge

# The columns of form 3 a person writes, in the template's order (affected tasks apart).
ISSUE_FIELDS = (
    "description",
    "occurred_at",
    "department",
    "temporary_measure",
    "root_cause",
    "long_term_solution",
    "deadline",
    "owner",
    "severity",
)
TEXT_FIELDS = ("description", "temporary_measure", "root_cause", "long_term_solution")


# Validation -------------------------------------------------------------------------------


def _check(*, campaign: Campaign, values: dict, affected_tasks: Iterable[Task] | None) -> None:
    """Every problem of an issue's values at once, each on its field."""
    errors: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (values.get("description") or "").strip():
        problem("description", _("Describe the problem: the description is required."))
    occurred_at: datetime | None = values.get("occurred_at")
    if occurred_at is None:
        problem("occurred_at", _("Say when the problem occurred."))
    elif date_problem(timezone.localdate(occurred_at) if timezone.is_aware(occurred_at) else occurred_at.date()):
        problem("occurred_at", date_problem(occurred_at.date()))
    deadline: date | None = values.get("deadline")
    if deadline is not None:
        if date_problem(deadline):
            problem("deadline", date_problem(deadline))
        elif occurred_at is not None and "occurred_at" not in errors:
            occurred_on = timezone.localdate(occurred_at) if timezone.is_aware(occurred_at) else occurred_at.date()
            if deadline < occurred_on:
                problem(
                    "deadline",
                    _("The deadline (%(deadline)s) is before the problem occurred (%(occurred)s).")
                    % {"deadline": deadline.isoformat(), "occurred": occurred_on.isoformat()},
                )
    if values.get("severity") not in Severity.values:
        problem("severity", _("Choose a severity: warning or critical."))
    owner = values.get("owner")
    if owner is not None and not owner.is_active:
        problem("owner", _("%(person)s is no longer active: choose another owner.") % {"person": owner.display_name})
    if affected_tasks is not None:
        strangers = [task.name for task in affected_tasks if task.campaign_id != campaign.pk]
        if strangers:
            problem(
                "affected_tasks",
                _("Not tasks of this campaign: %(tasks)s. An issue affects only its own campaign's tasks.")
                % {"tasks": "、".join(strangers)},
            )
    if errors:
        raise ValidationError(errors)


def _save(issue: Issue, *, by: User | None, reason: str = "") -> Issue:
    issue._history_user = by
    if reason:
        issue._change_reason = reason[:100]
    issue.save()
    return issue


# Create, change, state --------------------------------------------------------------------


@transaction.atomic
def issue_create(
    *,
    campaign: Campaign,
    description: str,
    occurred_at: datetime,
    by: User | None,
    affected_tasks: Iterable[Task] = (),
    department: Department | None = None,
    temporary_measure: str = "",
    root_cause: str = "",
    long_term_solution: str = "",
    deadline: date | None = None,
    owner: User | None = None,
    severity: str = Severity.WARNING,
    alerts: Iterable[Alert] = (),
) -> Issue:
    """Record an issue of a campaign; the alerts given point to it."""
    values = {
        "description": description,
        "occurred_at": occurred_at,
        "department": department,
        "temporary_measure": temporary_measure,
        "root_cause": root_cause,
        "long_term_solution": long_term_solution,
        "deadline": deadline,
        "owner": owner,
        "severity": severity,
    }
    affected_tasks = list(affected_tasks)
    _check(campaign=campaign, values=values, affected_tasks=affected_tasks)
    for name in TEXT_FIELDS:
        values[name] = (values[name] or "").strip()
    issue = _save(Issue(campaign=campaign, created_by=by, **values), by=by)
    if affected_tasks:
        issue.affected_tasks.set(affected_tasks)
    for alert in alerts:
        issue_link_alert(issue=issue, alert=alert, by=by)
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, by: User | None, affected_tasks: Iterable[Task] | None = None, **changes) -> Issue:
    """Change an issue's columns (any of ISSUE_FIELDS, and the affected tasks when given). A
    deadline moved lets the owner hear again if the new one passes too."""
    unknown = set(changes) - set(ISSUE_FIELDS)
    if unknown:
        raise TypeError(f"issue_update() got unexpected fields: {sorted(unknown)}")
    values = {name: changes.get(name, getattr(issue, name)) for name in ISSUE_FIELDS}
    affected = list(affected_tasks) if affected_tasks is not None else None
    _check(campaign=issue.campaign, values=values, affected_tasks=affected)
    for name in TEXT_FIELDS:
        values[name] = (values[name] or "").strip()
    if values["deadline"] != issue.deadline:
        issue.overdue_notified_at = None
    for name, value in values.items():
        setattr(issue, name, value)
    _save(issue, by=by)
    if affected is not None and {task.pk for task in affected} != set(
        issue.affected_tasks.values_list("pk", flat=True)
    ):
        # simple_history records the new set (with its author) as the set changes.
        issue.affected_tasks.set(affected)
    return issue


@transaction.atomic
def issue_set_state(*, issue: Issue, by: User | None, state: str, reason: str = "") -> Issue:
    """Move an issue to open, mitigated or resolved. Reopening a resolved issue needs a reason;
    resolving records when."""
    reason = (reason or "").strip()
    if state not in IssueState.values:
        raise ValidationError({"state": _("Choose a state: open, mitigated or resolved.")})
    if state == issue.state:
        raise ValidationError({"state": _("The issue is already %(state)s.") % {"state": issue.get_state_display()}})
    if issue.state == IssueState.RESOLVED and not reason:
        raise ValidationError({"state_reason": _("Say why the issue is reopened: the reason is required.")})
    issue.state, issue.state_reason = state, reason
    issue.resolved_at = timezone.now() if state == IssueState.RESOLVED else None
    return _save(issue, by=by)


@transaction.atomic
def issue_link_alert(*, issue: Issue, alert: Alert, by: User | None = None) -> Alert:
    """Point an alert to an issue (several alerts may point to one) of the same campaign."""
    if alert.campaign_id != issue.campaign_id:
        raise ValidationError({"alert": _("The alert belongs to another campaign than the issue.")})
    Alert.objects.filter(pk=alert.pk).update(issue=issue, updated_at=timezone.now())
    alert.issue = issue
    return alert


# From an alert, in one click --------------------------------------------------------------


def alert_description(alert: Alert, language: str) -> str:
    """An alert's headline and figures, as the description of the issue it opens."""
    with translation.override(language):
        text = alert.summary_in(language)
        observed = format_figure(alert.observed, alert.threshold) if alert.observed is not None else ""
        # An attainment summary already says its figures; others get them added.
        if (alert.observed is not None or alert.expected is not None) and not (observed and observed in text):
            text = _("%(summary)s (observed %(observed)s, expected %(expected)s)") % {
                "summary": text,
                "observed": format_figure(alert.observed, alert.threshold),
                "expected": format_figure(alert.expected, alert.threshold),
            }
    return text


def alert_scope_tasks(alert: Alert, *, today: date) -> list[Task]:
    """The open tasks in an alert's scope: the overdue ones for an overdue-task alert;
    for a goal's alert, those carried (as Responsible or Accountable) by the people the
    threshold names; otherwise, and when they carry none, every open task of the campaign."""
    tasks = Task.objects.open().filter(campaign_id=alert.campaign_id).select_related("responsible__department")
    threshold = alert.threshold
    if threshold.kind == ThresholdKind.TASKS_OVERDUE:
        return list(tasks.filter(due_date__lt=today).order_by("due_date", "pk"))
    people = [user.pk for user in threshold.recipients.all()]
    if alert.target_id and people:
        carried = list(tasks.filter(Q(responsible_id__in=people) | Q(accountable_id__in=people)).order_by("pk"))
        if carried:
            return carried
    return list(tasks.order_by("due_date", "pk"))


def scope_department(alert: Alert, tasks: list[Task]) -> Department | None:
    """The department responsible for an alert's scope: the one whose people are Responsible
    for most of its tasks (the first of them on a tie), else the campaign owner's."""
    counts = Counter(task.responsible.department for task in tasks if task.responsible.department_id)
    if counts:
        return counts.most_common(1)[0][0]
    owner = alert.campaign.owner if alert.campaign_id else None
    return owner.department if owner is not None and owner.department_id else None


@transaction.atomic
def issue_create_from_alert(*, alert: Alert, by: User, language: str | None = None) -> tuple[Issue, bool]:
    """The issue of an alert, prefilled (description from its headline and figures in the
    creator's language, occurred when it opened, the open tasks of its scope, their
    department, its severity) and linked to it; an alert that already has one answers it.
    Returns (issue, created)."""
    alert = Alert.objects.select_for_update(of=("self",)).select_related("campaign__owner__department").get(pk=alert.pk)
    if alert.issue_id:
        return alert.issue, False
    if not alert.campaign_id:
        raise ValidationError(
            {"alert": _("This alert is on a plan's target, not a campaign: the issue register is a campaign's.")}
        )
    tasks = alert_scope_tasks(alert, today=timezone.localdate())
    issue = issue_create(
        campaign=alert.campaign,
        description=alert_description(alert, language or translation.get_language() or "en"),
        occurred_at=alert.opened_at,
        affected_tasks=tasks,
        department=scope_department(alert, tasks),
        severity=alert.severity,
        by=by,
    )
    issue_link_alert(issue=issue, alert=alert, by=by)
    return issue, True


@transaction.atomic
def alert_acknowledge_with_issue(*, alert: Alert, issue: Issue, by: User, note: str = "") -> Alert:
    """Acknowledge an alert naming an issue as its analysis: the alert points to the issue,
    and the note, when none is given, says which issue holds the analysis."""
    issue_link_alert(issue=issue, alert=alert, by=by)
    note = (note or "").strip() or _("Analysed in issue #%(id)s: %(issue)s") % {"id": issue.pk, "issue": str(issue)}
    # A refusal (the alert is no longer open) rolls the link back with it.
    return alert_acknowledge(alert=alert, by=by, note=note)


# Deadlines --------------------------------------------------------------------------------


def issue_overdue_recipients(issue: Issue) -> list[User]:
    """The owner and the lead of the responsible department."""
    people = {}
    if issue.owner_id:
        people[issue.owner_id] = issue.owner
    if issue.department_id and issue.department.lead_id:
        people[issue.department.lead_id] = issue.department.lead
    return [user for user in people.values() if user.is_active]


def issue_overdue_message(issue: Issue, language: str) -> tuple[str, str]:
    with translation.override(language):
        title = _("Issue past its deadline: %(issue)s") % {"issue": str(issue)[:200]}
        body = _("The deadline was %(deadline)s (%(campaign)s). State: %(state)s.") % {
            "deadline": issue.deadline.isoformat(),
            "campaign": issue.campaign.name,
            "state": issue.get_state_display(),
        }
    return title, body


def issue_notify_overdue(*, issue_id: int, today: date | None = None, now=None) -> bool:
    """Tell an overdue issue's owner and department lead, once per deadline: the guarded update
    decides between two runs, and a deadline moved later clears the mark."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    with transaction.atomic():
        claimed = (
            Issue.objects.overdue(today=today)
            .filter(pk=issue_id, overdue_notified_at__isnull=True)
            .update(overdue_notified_at=now, updated_at=timezone.now())
        )
        if not claimed:
            return False
        issue = Issue.objects.select_related("campaign", "owner", "department__lead").get(pk=issue_id)
        notify(
            recipients=issue_overdue_recipients(issue),
            kind=NotificationKind.ISSUE_OVERDUE,
            # One notice per deadline: the key names it, so a new deadline missed is told again.
            dedupe_key=f"issue_overdue:{issue.pk}:{issue.deadline.isoformat()}",
            wording=lambda language, _recipient: issue_overdue_message(issue, language),
            url=issue.get_absolute_url(),
            now=now,
        )
    return True


def notify_overdue_issues(*, today: date | None = None, now=None) -> int:
    """Tell the owners and leads of every issue that became overdue; returns how many issues."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    ids = list(Issue.objects.overdue(today=today).filter(overdue_notified_at__isnull=True).values_list("pk", flat=True))
    return sum(issue_notify_overdue(issue_id=pk, today=today, now=now) for pk in ids)
