"""Reads for reviews: the review page, the lists, the report and the follow-up actions, each
in a fixed number of queries."""

from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from plans.selectors import target_list

from .figures import frozen_figures, live_figures
from .models import FollowUpAction, Lesson, Review, ReviewComment, ReviewLine, ReviewState


def review_list() -> QuerySet[Review]:
    """Reviews with their campaign and its owner, latest campaigns first."""
    return Review.objects.select_related("campaign", "campaign__owner", "campaign__plan")


def with_figures(review: Review, lines: list[ReviewLine], *, today: date) -> list[ReviewLine]:
    """Attach `.figures` to each line: live from the goals while the review is a draft (one
    query for all of them), frozen once it is final."""
    if review.state != ReviewState.DRAFT:
        for line in lines:
            line.figures = frozen_figures(line)
        return lines
    goals = {
        goal.pk: goal for goal in target_list().filter(pk__in=[line.target_id for line in lines if line.target_id])
    }
    for line in lines:
        goal = goals.get(line.target_id)
        line.figures = live_figures(goal, today=today) if goal is not None else frozen_figures(line)
    return lines


def review_detail(*, review_id: int, today: date | None = None) -> dict | None:
    """Everything the review page and the report show."""
    today = today or timezone.localdate()
    review = (
        review_list()
        .select_related("finalised_by")
        .prefetch_related(
            "participants",
            Prefetch("comments", queryset=ReviewComment.objects.select_related("author")),
            Prefetch("actions", queryset=FollowUpAction.objects.select_related("owner")),
            Prefetch("lessons", queryset=Lesson.objects.prefetch_related("channels", "metrics")),
        )
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        return None
    lines = with_figures(review, list(review.lines.select_related("metric")), today=today)
    for action in review.actions.all():
        action.overdue = action.is_overdue(today)
    return {
        "review": review,
        "campaign": review.campaign,
        "lines": lines,
        "roi": next((line for line in lines if line.metric.code == "roi"), None),
        "today": today,
        "overdue": review.is_overdue(today),
    }


def follow_up_actions_of(*, user, today: date | None = None) -> list[FollowUpAction]:
    """A person's open follow-up actions and those done this week, with their campaign."""
    today = today or timezone.localdate()
    actions = list(
        FollowUpAction.objects.filter(owner=user)
        .exclude(state="done", done_at__lt=timezone.now() - timedelta(days=7))
        .select_related("review__campaign")
        .order_by("state", "due_date", "pk")
    )
    for action in actions:
        action.overdue = action.is_overdue(today)
    return actions


def follow_up_action_list() -> QuerySet[FollowUpAction]:
    return FollowUpAction.objects.select_related("owner", "review__campaign")


def lesson_list() -> QuerySet[Lesson]:
    return Lesson.objects.select_related("review__campaign").prefetch_related("channels", "metrics")


def drafts_for(*, user, limit: int = 20) -> list[Review]:
    """Draft reviews a person should finalise: of their campaigns, or every one for managers;
    the earliest due first."""
    from accounts.permissions import is_administrator, is_marketing_manager

    drafts = review_list().filter(state=ReviewState.DRAFT)
    if not (is_marketing_manager(user) or is_administrator(user)):
        drafts = drafts.filter(campaign__owner=user)
    return list(drafts.order_by("due_date", "pk")[:limit])


def review_line_list() -> QuerySet[ReviewLine]:
    """Lines with their review and metric, in form 4's order."""
    return ReviewLine.objects.select_related("review", "metric").order_by("review_id", "sort_order", "pk")
