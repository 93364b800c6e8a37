"""Writes for follow-up actions (后续行动计划): set while the review is written, then tracked
like tasks until their owner marks them done."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import ActionState, FollowUpAction, Review, ReviewState
from .reviews import review_reindex


@dataclass
class ActionInput:
    action: str
    owner: User
    due_date: date


def _check(data: ActionInput) -> None:
    if not data.action.strip():
        raise ValidationError({"action": _("Say what is to be done.")})
    if not data.owner.is_active:
        raise ValidationError({"owner": _("%(person)s is no longer active.") % {"person": data.owner}})


@transaction.atomic
def action_save(*, review: Review, data: ActionInput, action: FollowUpAction | None = None) -> FollowUpAction:
    """Add or change a follow-up action of a review that is not archived."""
    if review.state == ReviewState.ARCHIVED:
        raise ValidationError({"state": _("The review is archived: its follow-up actions are set.")})
    _check(data)
    action = action or FollowUpAction(review=review)
    action.action, action.owner, action.due_date = data.action.strip(), data.owner, data.due_date
    action.full_clean(exclude=["review"])
    action.save()
    review_reindex(review)
    return action


@transaction.atomic
def action_mark_done(*, action: FollowUpAction, by: User, note: str = "") -> FollowUpAction:
    """Mark a follow-up action done, with a note of what was done; a second time changes
    nothing (the row is locked, so two taps at once record one)."""
    action = FollowUpAction.objects.select_for_update().get(pk=action.pk)
    if action.state == ActionState.DONE:
        return action
    action.state, action.done_note, action.done_at = ActionState.DONE, note.strip(), timezone.now()
    action._history_user = by
    action.save()
    return action
