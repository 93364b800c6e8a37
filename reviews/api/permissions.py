"""DRF permission classes for the reviews API: thin wrappers over reviews.permissions, so the
API refuses exactly what the pages refuse."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from ..models import FollowUpAction, Review, ReviewState
from ..permissions import (
    can_archive_review,
    can_comment_review,
    can_complete_action,
    can_edit_review,
    can_finalise_review,
    can_view_reviews,
    is_review_writer,
)

EDIT_REFUSED = _("Only the campaign's owner and marketing managers change a review, while it is a draft.")
NOT_DRAFT = _("The review is %(state)s: it is no longer changed.")


def review_of(obj) -> Review:
    return obj if isinstance(obj, Review) else obj.review


class ReviewReadPermission(permissions.BasePermission):
    """Everyone signed in reads reviews, lines, lessons and the knowledge base."""

    def has_permission(self, request, view):
        return can_view_reviews(request.user)


class ReviewWritePermission(ReviewReadPermission):
    """Writes to a review or to a part of it (a line, a lesson, a follow-up action), as the
    pages allow them: the review's view action names the predicate (``finalise``, ``archive``,
    ``comment``, ``done``); every other write is an edit of a draft."""

    message = EDIT_REFUSED

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        review = review_of(obj)
        action = getattr(view, "action", None)
        if action == "done" and isinstance(obj, FollowUpAction):
            self.message = _("Only the action's owner and marketing managers mark it done.")
            return can_complete_action(request.user, obj)
        if action == "comment":
            self.message = _("Only executives, the campaign's owner and marketing managers comment on a review.")
            return can_comment_review(request.user, review)
        if action == "archive":
            allowed = can_archive_review(request.user, review)
            if is_review_writer(request.user, review):
                self.message = _("Only a final review is archived: finalise it first.")
            else:
                self.message = _("Only the campaign's owner and marketing managers archive a review.")
            return allowed
        if action == "finalise":
            return self._edit(request.user, review, can_finalise_review)
        return self._edit(request.user, review, can_edit_review)

    def _edit(self, user, review: Review, predicate) -> bool:
        allowed = predicate(user, review)
        if not allowed:
            self.message = refusal(user, review)
        return allowed


def refusal(user, review: Review) -> str:
    """Why a person may not change a review: not theirs to write, or no longer a draft."""
    if is_review_writer(user, review) and review.state != ReviewState.DRAFT:
        return NOT_DRAFT % {"state": review.get_state_display()}
    return EDIT_REFUSED
