"""Reads for tasks: querysets and plain data for pages, the API and jobs, in fixed queries."""

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from plans.models import Campaign

from .models import Assignment, DailyCheckIn, Milestone, Stage, StatusUpdate, Task, TaskStatus


def task_list() -> QuerySet[Task]:
    """Tasks with everything a list shows: campaign, stage, milestone, R, A, departments, C/I."""
    return Task.objects.select_related("campaign", "stage", "milestone", "responsible", "accountable").prefetch_related(
        "departments",
        Prefetch("assignments", queryset=Assignment.objects.select_related("user", "department")),
    )


def with_last_note(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Add `last_note` and `last_update_at`, the latest status update's, as annotations."""
    latest = StatusUpdate.objects.filter(task_id=OuterRef("pk")).order_by("-created_at", "-pk")
    return tasks.annotate(
        last_note=Subquery(latest.values("note")[:1]),
        last_update_at=Subquery(latest.values("created_at")[:1]),
    )


def my_tasks(*, user, today: date | None = None) -> dict:
    """The tasks where a person is Responsible, grouped the way they work through them in the
    morning: overdue, blocked, due this week, later; and recently done."""
    today = today or timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday())
    tasks = list(
        with_last_note(
            Task.objects.select_related("campaign", "stage", "accountable").filter(responsible=user)
        ).exclude(status=TaskStatus.DONE, updated_at__lt=timezone.now() - timedelta(days=7))
    )
    groups = {"overdue": [], "blocked": [], "this_week": [], "later": [], "done": []}
    for task in tasks:
        task.overdue = task.is_overdue(today)
        if task.status == TaskStatus.DONE:
            groups["done"].append(task)
        elif task.overdue:
            groups["overdue"].append(task)
        elif task.status == TaskStatus.BLOCKED:
            groups["blocked"].append(task)
        elif task.due_date <= week_end:
            groups["this_week"].append(task)
        else:
            groups["later"].append(task)
    checked_in = DailyCheckIn.objects.filter(user=user, date=today).exists()
    updated_today = StatusUpdate.objects.filter(author=user, created_at__date=today).exists()
    return {
        "groups": groups,
        "today": today,
        "checked_in": checked_in,
        "updated_today": updated_today,
        "count": len(tasks),
    }


def task_detail(*, task_id: int) -> Task | None:
    """One task with its RACI, departments, milestone and whole status history."""
    return (
        task_list()
        .prefetch_related(Prefetch("updates", queryset=StatusUpdate.objects.select_related("author")))
        .filter(pk=task_id)
        .first()
    )


def campaign_task_summary(*, campaign: Campaign, today: date | None = None) -> dict:
    """Task counts by status and by stage, the overdue tasks and the next milestones."""
    today = today or timezone.localdate()
    stages = list(campaign.stages.all())
    counts = Task.objects.filter(campaign=campaign).values("stage_id", "status").annotate(n=Count("pk"))
    by_status, by_stage = Counter(), defaultdict(Counter)
    for row in counts:
        by_status[row["status"]] += row["n"]
        by_stage[row["stage_id"]][row["status"]] += row["n"]
    overdue = list(
        Task.objects.overdue(today=today)
        .filter(campaign=campaign)
        .select_related("responsible", "stage")
        .order_by("due_date")[:10]
    )
    milestones = list(
        Milestone.objects.filter(campaign=campaign).select_related("stage").order_by("reached_on", "due_date")
    )
    upcoming = [m for m in milestones if m.reached_on is None][:5]
    for milestone in upcoming:
        milestone.missed = milestone.is_missed(today)
    return {
        "campaign": campaign,
        "total": sum(by_status.values()),
        "by_status": [(status, by_status.get(status.value, 0)) for status in TaskStatus],
        "by_stage": [(stage, [by_stage[stage.pk].get(status.value, 0) for status in TaskStatus]) for stage in stages],
        "overdue": overdue,
        "overdue_count": Task.objects.overdue(today=today).filter(campaign=campaign).count(),
        "milestones": upcoming,
        "today": today,
    }


def stage_list(*, campaign: Campaign) -> list[Stage]:
    return list(campaign.stages.all())
