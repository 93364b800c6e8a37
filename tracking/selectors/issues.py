"""Reads for the issue register (form 3): the register of a campaign and across campaigns,
an issue with its alerts and its history, each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from plans.models import Campaign
from tasks.models import Task

from ..models import Alert, Issue, IssueState, Severity


def _historical_affected_tasks():
    """simple_history's table of each historical record's affected tasks."""
    return apps.get_model("tracking", "HistoricalIssue_affected_tasks")


ISSUE_RELATED = ["campaign__owner", "department__lead", "owner", "created_by"]


def issue_queryset() -> QuerySet[Issue]:
    """Issues with what a row of the register shows: campaign, department, owner, affected
    tasks (with their R and A, for permissions) and the alerts they came from."""
    return Issue.objects.select_related(*ISSUE_RELATED).prefetch_related(
        Prefetch("affected_tasks", queryset=Task.objects.select_related("stage").order_by("due_date", "pk")),
        Prefetch("alerts", queryset=Alert.objects.order_by("opened_at", "pk")),
    )


def issue_list(
    *,
    user: User,
    campaign: Campaign | None = None,
    state: str | None = None,
    department=None,
    owner: User | None = None,
    overdue: bool | None = None,
    today: date | None = None,
) -> QuerySet[Issue]:
    """The issues a person may read, filtered as the register offers; `unresolved` is open
    or mitigated. Those with the nearest deadline first."""
    today = today or timezone.localdate()
    issues = issue_queryset().filter(pk__in=Issue.objects.visible_to(user).values("pk"))
    if campaign is not None:
        issues = issues.filter(campaign=campaign)
    if state == "unresolved":
        issues = issues.unresolved()
    elif state:
        issues = issues.filter(state=state)
    if department is not None:
        issues = issues.filter(department=department)
    if owner is not None:
        issues = issues.filter(owner=owner)
    if overdue is True:
        issues = issues.overdue(today=today)
    elif overdue is False:
        issues = issues.exclude(pk__in=Issue.objects.overdue(today=today).values("pk"))
    return issues.order_by(F("deadline").asc(nulls_last=True), "-occurred_at", "-pk")


def flag_issues(issues, *, today: date | None = None) -> list[Issue]:
    """Attach `.overdue` (past its deadline and not resolved) to each issue."""
    today = today or timezone.localdate()
    issues = list(issues)
    for issue in issues:
        issue.overdue = issue.is_overdue(today)
    return issues


def issue_detail(*, issue_id: int) -> Issue | None:
    issue = issue_queryset().filter(pk=issue_id).first()
    if issue is not None:
        flag_issues([issue])
    return issue


# History ----------------------------------------------------------------------------------

# A change by the same person this soon after recording the issue is part of recording it.
FOLD_SECONDS = 5
# The columns whose changes the history shows, in the template's order.
HISTORY_FIELDS = [
    "description",
    "occurred_at",
    "department",
    "temporary_measure",
    "root_cause",
    "long_term_solution",
    "deadline",
    "owner",
    "state",
    "state_reason",
    "severity",
]


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: User | None
    kind: str  # "+" created, "~" changed
    changes: list[Change]


def _shown(record, name: str, names: dict) -> str:
    value = getattr(record, f"{name}_id" if name in ("department", "owner") else name)
    if value is None or value == "":
        return "–"
    if name in ("department", "owner"):
        return names[name].get(value, f"#{value}")
    if name == "state":
        return str(IssueState(value).label) if value in IssueState.values else value
    if name == "severity":
        return str(Severity(value).label) if value in Severity.values else value
    if name == "occurred_at":
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if name == "deadline":
        return value.isoformat()
    return str(value)


def issue_history(*, issue: Issue) -> list[HistoryEntry]:
    """Who changed what, newest first, in a fixed number of queries: the records with their
    authors and affected tasks, and the names of the tasks, departments and owners they name."""
    from accounts.models import Department

    records = list(issue.history.select_related("history_user").order_by("history_date", "history_id"))
    # Each record's affected tasks, from simple_history's table of them, in one query.
    kept = defaultdict(set)
    if records:
        rows = _historical_affected_tasks().objects.filter(history_id__in=[r.history_id for r in records])
        for history_id, task_id in rows.values_list("history_id", "task_id"):
            kept[history_id].add(task_id)
    department_ids = {r.department_id for r in records if r.department_id}
    owner_ids = {r.owner_id for r in records if r.owner_id}
    names = {
        "department": dict(Department.objects.filter(pk__in=department_ids).values_list("pk", "name"))
        if department_ids
        else {},
        "owner": {user.pk: user.display_name for user in User.objects.filter(pk__in=owner_ids)} if owner_ids else {},
    }
    record_tasks = [kept[record.history_id] for record in records]
    task_ids = set().union(*record_tasks)
    task_names = dict(Task.objects.filter(pk__in=task_ids).values_list("pk", "name")) if task_ids else {}
    labels = {name: str(Issue._meta.get_field(name).verbose_name) for name in HISTORY_FIELDS}
    entries, previous, previous_tasks = [], None, set()
    for record, tasks in zip(records, record_tasks, strict=True):
        changes = []
        for name in HISTORY_FIELDS:
            new = _shown(record, name, names)
            old = _shown(previous, name, names) if previous is not None else "–"
            if new != old:
                changes.append(Change(name, labels[name], old, new))
        if tasks != previous_tasks:
            changes.append(
                Change(
                    "affected_tasks",
                    str(Issue._meta.get_field("affected_tasks").verbose_name),
                    "、".join(task_names.get(pk, f"#{pk}") for pk in sorted(previous_tasks)) or "–",
                    "、".join(task_names.get(pk, f"#{pk}") for pk in sorted(tasks)) or "–",
                )
            )
        just_created = (
            entries
            and entries[-1].kind == "+"
            and record.history_user_id == previous.history_user_id
            and (record.history_date - previous.history_date).total_seconds() < FOLD_SECONDS
        )
        # The affected tasks are set right after the row is created: part of recording it.
        if (changes or previous is None) and not just_created:
            entries.append(HistoryEntry(record.history_date, record.history_user, record.history_type, changes))
        previous, previous_tasks = record, tasks
    entries.reverse()
    return entries
