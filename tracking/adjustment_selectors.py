"""Reads for adjustments: lists of a campaign's or a plan's requests, the requests awaiting a
person's decision, one request with its diff and history; each in a fixed number of queries."""

import difflib
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from plans.calendar import calendar_overrides
from plans.models import AnnualPlan, BudgetLine, Campaign, Target
from tasks.models import Milestone, Task

from .models import (
    Adjustment,
    AdjustmentChange,
    AdjustmentDecision,
    AdjustmentKind,
    AdjustmentState,
    ChangeSubject,
)
from .permissions import may_decide

TEXT_FIELDS = {"description", "body_zh", "body_en"}


def adjustment_queryset() -> QuerySet[Adjustment]:
    """Adjustments with their scope, people, changes and decisions, for a list or the API."""
    return Adjustment.objects.select_related("plan__owner", "campaign__owner", "requested_by").prefetch_related(
        Prefetch("changes", queryset=AdjustmentChange.objects.order_by("position", "pk")),
        Prefetch("decisions", queryset=AdjustmentDecision.objects.select_related("by").order_by("at", "pk")),
        "alerts",
        "issues",
    )


def pending_calendar(adjustments, *, today: date) -> dict[date, bool]:
    """The administrator's holidays and make-up days since the oldest of these requests, read
    in one query (none when there is no request), for counting all of their ages."""
    if not adjustments:
        return {}
    oldest = min(timezone.localdate(adjustment.created_at) for adjustment in adjustments)
    return calendar_overrides(start=oldest, end=today)


def flag(adjustments, *, today: date) -> list[Adjustment]:
    """Attach `.age` (working days pending, the Chinese calendar with the holiday table) and
    `.overdue` (pending over two working days)."""
    adjustments = list(adjustments)
    overrides = pending_calendar(adjustments, today=today)
    for adjustment in adjustments:
        adjustment.age = adjustment.pending_working_days(today, overrides=overrides)
        adjustment.overdue = adjustment.is_overdue(today, overrides=overrides)
    return adjustments


def grouped(adjustments) -> dict[str, list[Adjustment]]:
    """Pending, approved, and the rest (rejected or withdrawn), for a campaign's or plan's page."""
    groups = {"pending": [], "approved": [], "closed": []}
    for adjustment in adjustments:
        key = adjustment.state if adjustment.state in ("pending", "approved") else "closed"
        groups[key].append(adjustment)
    return groups


def campaign_adjustments(*, campaign: Campaign, today: date) -> dict[str, list[Adjustment]]:
    return grouped(flag(adjustment_queryset().filter(campaign=campaign), today=today))


def plan_adjustments(*, plan: AnnualPlan, today: date) -> dict[str, list[Adjustment]]:
    """A plan's own adjustments and those of its campaigns."""
    return grouped(flag(adjustment_queryset().filter(plan=plan), today=today))


def awaiting_decision(*, user: User, today: date, limit: int = 20) -> dict:
    """The pending requests a person decides now, oldest first, with their age."""
    pending = Adjustment.objects.pending().select_related("plan", "campaign", "requested_by").order_by("created_at")
    mine = [adjustment for adjustment in pending[:500] if may_decide(user, adjustment)]
    return {"count": len(mine), "items": flag(mine[:limit], today=today)}


def adjustment_detail(*, adjustment_id: int) -> Adjustment | None:
    """One request with its changes (text changes with a line diff), decisions and history."""
    adjustment = adjustment_queryset().filter(pk=adjustment_id).first()
    if adjustment is None:
        return None
    adjustment.history_records = list(
        Adjustment.history.filter(id=adjustment_id).select_related("history_user").order_by("history_date")
    )
    for change in adjustment.changes.all():
        change.diff = text_diff(change.before, change.after) if change.field in TEXT_FIELDS else None
    return adjustment


def text_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Lines of a before → after text: ("-", removed), ("+", added), (" ", kept)."""
    lines = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("? "):
            continue
        lines.append((line[0], line[2:]))
    return lines


# What a request form offers to change -------------------------------------------------------


def adjustable_values(*, kind: str, plan: AnnualPlan, campaign: Campaign | None, user_tasks=None) -> list[dict]:
    """The values a request of `kind` may change in a campaign (or a plan): each with its
    subject, id, field, label and current value, in a fixed number of queries.
    `user_tasks`, when given, limits a schedule request to those tasks (a task's R or A)."""
    rows = []

    def add(subject, obj, field, name, value, *, text=False, is_date=False):
        if field == "description":
            field_name = _("strategy")
        elif subject == ChangeSubject.PLAN:
            field_name = _("total budget")
        elif field.startswith("q") or field.startswith("body"):
            field_name = ""
        else:
            field_name = type(obj)._meta.get_field(field).verbose_name
        rows.append(
            {
                "subject": subject,
                "object_id": obj.pk,
                "field": field,
                "label": f"{name} · {field_name}" if field_name else name,
                "current": value,
                "text": text,
                "date": is_date,
            }
        )

    if kind == AdjustmentKind.TARGET:
        scope = {"campaign": campaign} if campaign else {"plan": plan}
        targets = (
            Target.objects.filter(**scope)
            .select_related("metric", "channel", "parent")
            .order_by("parent_id", "sort_order", "pk")
        )
        for target in targets:
            prefix = "↳ " if target.parent_id else ""
            add(ChangeSubject.TARGET, target, "target_value", f"{prefix}{target.label}", target.target_value)
            if campaign is None:
                for quarter in ("q1", "q2", "q3", "q4"):
                    add(
                        ChangeSubject.TARGET,
                        target,
                        quarter,
                        f"{prefix}{target.label} · {quarter.upper()}",
                        getattr(target, quarter),
                    )
    elif kind == AdjustmentKind.BUDGET:
        if campaign is not None:
            add(ChangeSubject.CAMPAIGN, campaign, "budget", str(campaign), campaign.budget)
        else:
            add(ChangeSubject.PLAN, plan, "budget", str(plan), plan.budget)
        for line in BudgetLine.objects.filter(plan=plan).select_related("channel").order_by("category", "pk"):
            add(ChangeSubject.BUDGET_LINE, line, "planned_amount", line.label, line.planned_amount)
    elif kind == AdjustmentKind.SCHEDULE and campaign is not None:
        if user_tasks is None:
            add(ChangeSubject.CAMPAIGN, campaign, "start_date", str(campaign), campaign.start_date, is_date=True)
            add(ChangeSubject.CAMPAIGN, campaign, "end_date", str(campaign), campaign.end_date, is_date=True)
            for milestone in Milestone.objects.filter(campaign=campaign).order_by("due_date", "pk"):
                add(ChangeSubject.MILESTONE, milestone, "due_date", milestone.name, milestone.due_date, is_date=True)
        tasks = Task.objects.filter(campaign=campaign).order_by("due_date", "pk")
        if user_tasks is not None:
            tasks = tasks.filter(pk__in=[task.pk for task in user_tasks])
        for task in tasks:
            add(ChangeSubject.TASK, task, "start_date", task.name, task.start_date, is_date=True)
            add(ChangeSubject.TASK, task, "due_date", task.name, task.due_date, is_date=True)
    elif kind == AdjustmentKind.STRATEGY:
        if campaign is not None:
            add(ChangeSubject.CAMPAIGN, campaign, "description", str(campaign), campaign.description, text=True)
        else:
            for item in plan.items.order_by("section", "sort_order", "pk"):
                add(ChangeSubject.PLAN_ITEM, item, "body_zh", f"{item.title} (中文)", item.body_zh, text=True)
                add(ChangeSubject.PLAN_ITEM, item, "body_en", f"{item.title} (English)", item.body_en, text=True)
    return rows


def user_schedule_tasks(*, user: User, campaign: Campaign) -> list[Task]:
    """The tasks of a campaign a person is Responsible or Accountable for."""
    return list(Task.objects.filter(campaign=campaign).filter(Q(responsible=user) | Q(accountable=user)))


def figure_adjustments(*, subject: str, object_id: int, field: str) -> list[AdjustmentChange]:
    """The approved adjustments that changed one figure (a campaign's or plan's budget, a
    budget line's amount, a target's value or quarter), oldest first, each change with its
    request, requester and decisions: what the plan and campaign pages list beside an adjusted
    figure. Two queries."""
    return list(
        AdjustmentChange.objects.filter(
            subject=subject, object_id=object_id, field=field, adjustment__state=AdjustmentState.APPROVED
        )
        .select_related("adjustment__requested_by")
        .prefetch_related(
            Prefetch(
                "adjustment__decisions",
                queryset=AdjustmentDecision.objects.filter(approved=True).select_related("by").order_by("at", "pk"),
            )
        )
        .order_by("adjustment__applied_at", "adjustment__pk")
    )
