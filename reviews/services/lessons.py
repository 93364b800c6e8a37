"""Writes for lessons: what worked or what to avoid, tagged so the next campaign finds it.
Each save refreshes the segmented text the knowledge base's index reads."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from plans.models import Channel, Metric

from ..models import Lesson, Review, ReviewState
from ..segmenting import segmented


@dataclass
class LessonInput:
    kind: str
    text: str
    tags: str = ""
    stage: str = ""
    channels: list[Channel] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)


def lesson_search_text(lesson: Lesson) -> str:
    return segmented(lesson.text, lesson.tags.replace(",", " ").replace("，", " "), lesson.stage)


@transaction.atomic
def lesson_save(*, review: Review, data: LessonInput, by: User | None = None, lesson: Lesson | None = None) -> Lesson:
    """Add or change a lesson of a review that is not archived; it carries the campaign's type."""
    if review.state == ReviewState.ARCHIVED:
        raise ValidationError({"state": _("The review is archived: its lessons are set.")})
    if not data.text.strip():
        raise ValidationError({"text": _("Write the lesson.")})
    lesson = lesson or Lesson(review=review)
    lesson.kind, lesson.text, lesson.tags, lesson.stage = data.kind, data.text.strip(), data.tags.strip(), data.stage
    lesson.campaign_type = review.campaign.type
    lesson.search_text = lesson_search_text(lesson)
    lesson._history_user = by
    lesson.full_clean(exclude=["review"])
    lesson.save()
    lesson.channels.set(data.channels)
    lesson.metrics.set(data.metrics)
    return lesson


@transaction.atomic
def lesson_delete(*, lesson: Lesson) -> None:
    if lesson.review.state == ReviewState.ARCHIVED:
        raise ValidationError({"state": _("The review is archived: its lessons are set.")})
    lesson.delete()
