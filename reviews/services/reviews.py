"""Writes for reviews: opening a campaign's review with its lines, editing it while it is a
draft, finalising it (the figures freeze) and archiving it with its campaign."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from plans import services as plan_services
from plans.calendar import review_deadline
from plans.models import Campaign, CampaignStatus, Metric, Target
from plans.selectors import target_list

from ..figures import dimension_of, live_figures
from ..models import Review, ReviewComment, ReviewLine, ReviewState
from ..segmenting import segmented


def _ensure_draft(review: Review) -> None:
    if review.state != ReviewState.DRAFT:
        raise ValidationError(
            {
                "state": _("The review is %(state)s: its figures and texts are frozen.")
                % {"state": review.get_state_display()}
            }
        )


def _goal_lines(review: Review) -> list[ReviewLine]:
    """Lines for the campaign's top-level goals that have none yet."""
    have = set(review.lines.exclude(target=None).values_list("target_id", flat=True))
    start = (review.lines.aggregate(last=Max("sort_order"))["last"] or 0) + 1
    goals = Target.objects.filter(campaign=review.campaign, parent__isnull=True).select_related("metric")
    lines = []
    for order, goal in enumerate((goal for goal in goals.order_by("sort_order", "pk") if goal.pk not in have), start):
        lines.append(
            ReviewLine(
                review=review,
                target=goal,
                metric=goal.metric,
                dimension=dimension_of(goal),
                name=goal.label,
                direction=goal.metric.direction,
                sort_order=order,
            )
        )
    return ReviewLine.objects.bulk_create(lines)


def review_reindex(review: Review) -> None:
    """Refresh the segmented text the knowledge base searches (the campaign, the report's
    parts, the lines' analyses and the follow-up actions)."""
    texts = [review.campaign.name, review.overview, review.conclusion, review.what_worked, review.shortfalls]
    for analysis, suggestion in review.lines.values_list("analysis", "suggestion"):
        texts += [analysis, suggestion]
    texts += list(review.actions.values_list("action", flat=True))
    Review.objects.filter(pk=review.pk).update(search_text=segmented(*texts))


@transaction.atomic
def review_open(*, campaign: Campaign, by: User | None = None) -> Review:
    """The campaign's review as a draft with a line per goal (the one it has, if any), due 3
    working days after the campaign's end; an executing campaign moves to reviewing."""
    review = Review.objects.select_for_update().filter(campaign=campaign).first()
    if review is None:
        review = Review(campaign=campaign, due_date=review_deadline(campaign))
        review._history_user = by
        review.save()
        _goal_lines(review)
        review_reindex(review)
    if campaign.status == CampaignStatus.EXECUTING:
        plan_services.campaign_set_status(campaign=campaign, status=CampaignStatus.REVIEWING, by=by)
    return review


@transaction.atomic
def review_refresh(*, review: Review) -> list[ReviewLine]:
    """Add lines for goals set since the review opened (a draft only)."""
    _ensure_draft(review)
    return _goal_lines(review)


@dataclass
class ReviewInput:
    meeting_date: date | None = None
    participants: list[User] | None = None
    overview: str = ""
    conclusion: str = ""
    what_worked: str = ""
    shortfalls: str = ""


@transaction.atomic
def review_update(*, review: Review, data: ReviewInput, by: User) -> Review:
    """Change the meeting and the report's texts of a draft review."""
    _ensure_draft(review)
    for field in ("meeting_date", "overview", "conclusion", "what_worked", "shortfalls"):
        setattr(review, field, getattr(data, field))
    review._history_user = by
    review.full_clean(exclude=["campaign", "search_text"])
    review.save()
    if data.participants is not None:
        review.participants.set(data.participants)
    review_reindex(review)
    return review


@dataclass
class LineInput:
    dimension: str
    analysis: str = ""
    suggestion: str = ""
    dimension_label: str = ""
    # a line of the manager's own (not a goal of the campaign): its metric and name
    metric: Metric | None = None
    name: str = ""


@transaction.atomic
def review_line_save(*, review: Review, data: LineInput, line: ReviewLine | None = None) -> ReviewLine:
    """Write a line's dimension, analysis and suggestion; a new line (another dimension a
    manager adds) names a metric of the campaign's goals, whose figures are still computed."""
    _ensure_draft(review)
    if line is None:
        goals = Target.objects.filter(campaign=review.campaign, metric=data.metric)
        if data.metric is None or not goals.exists():
            raise ValidationError(
                {"metric": _("A line compares a goal of the campaign: set a goal on this metric first.")}
            )
        # The headline goal first, then its sub-goals, the same on every database.
        goal = goals.exclude(review_lines__review=review).order_by(F("parent_id").asc(nulls_first=True), "pk").first()
        if goal is None:
            raise ValidationError({"metric": _("This goal already has its line.")})
        line = ReviewLine(
            review=review,
            target=goal,
            metric=goal.metric,
            name=data.name or goal.label,
            direction=goal.metric.direction,
            sort_order=(review.lines.aggregate(last=Max("sort_order"))["last"] or 0) + 1,
            added=True,
        )
    elif line.review_id != review.pk:
        raise ValidationError(_("The line belongs to another review."))
    line.dimension = data.dimension
    line.dimension_label = data.dimension_label
    line.analysis, line.suggestion = data.analysis, data.suggestion
    line.full_clean(exclude=["review", "target", "metric"])
    line.save()
    review_reindex(review)
    return line


GOAL_LINE_STAYS = gettext_lazy("This line is a goal of the campaign and stays; only lines a manager added are deleted.")


@transaction.atomic
def review_line_delete(*, line: ReviewLine) -> None:
    """Delete a line a manager added, while the review is a draft; a goal's own line stays
    (the review would add it back)."""
    review = line.review
    _ensure_draft(review)
    if not line.added:
        raise ValidationError({"line": GOAL_LINE_STAYS})
    line.delete()
    review_reindex(review)


@transaction.atomic
def review_finalise(*, review: Review, by: User, today: date | None = None) -> Review:
    """Freeze the figures of every line from live data and make the review final."""
    review = Review.objects.select_for_update().select_related("campaign").get(pk=review.pk)
    _ensure_draft(review)
    today = today or timezone.localdate()
    lines = list(review.lines.all())
    goals = {goal.pk: goal for goal in target_list().filter(pk__in=[line.target_id for line in lines])}
    now = timezone.now()
    for line in lines:
        line.updated_at = now  # bulk_update writes no auto_now field by itself
        goal = goals.get(line.target_id)
        if goal is None:
            continue  # a goal deleted since: the line keeps what it had
        figures = live_figures(goal, today=today)
        line.target_value, line.original_target, line.actual = figures.target, figures.original_target, figures.actual
        line.attainment, line.original_attainment = figures.attainment, figures.original_attainment
        line.direction = figures.direction
    ReviewLine.objects.bulk_update(
        lines,
        ["target_value", "original_target", "actual", "attainment", "original_attainment", "direction", "updated_at"],
    )
    review.state = ReviewState.FINAL
    review.finalised_at, review.finalised_by = timezone.now(), by
    review._history_user = by
    review.save()
    return review


@transaction.atomic
def review_archive(*, review: Review, by: User) -> Review:
    """Archive a final review into the knowledge base, and its campaign with it."""
    review = Review.objects.select_for_update().select_related("campaign").get(pk=review.pk)
    if review.state != ReviewState.FINAL:
        raise ValidationError({"state": _("Only a final review is archived: finalise it first.")})
    review.state = ReviewState.ARCHIVED
    review.archived_at = timezone.now()
    review._history_user = by
    review.save()
    campaign = review.campaign
    if campaign.status != CampaignStatus.ARCHIVED:
        plan_services.campaign_set_status(campaign=campaign, status=CampaignStatus.ARCHIVED, by=by, force=True)
    return review


@transaction.atomic
def review_comment_add(*, review: Review, author: User, text: str) -> ReviewComment:
    """A remark on a review, in any state."""
    if not text.strip():
        raise ValidationError({"text": _("Write the comment first.")})
    return ReviewComment.objects.create(review=review, author=author, text=text.strip())


def archive_problems(campaign: Campaign) -> list[str]:
    """The archive gate (plans.gates): a campaign is archived only once its review is final."""
    review = Review.objects.filter(campaign=campaign).only("state").first()
    if review is None:
        return [_("Review: the campaign has none yet.")]
    if review.state == ReviewState.DRAFT:
        return [_("Review: it is still a draft; finalise it first.")]
    return []
