"""Who may do what with reviews, lessons and follow-up actions: predicates that pages and the
API share. Everyone signed in reads reviews and the knowledge base; the campaign's owner and
marketing managers write a review while it is a draft; executives read and comment."""

from accounts.permissions import is_administrator, is_executive, is_marketing_manager

from .models import FollowUpAction, Review, ReviewState


def can_view_reviews(user) -> bool:
    return bool(user and user.is_authenticated)


def _owner_or_manager(user, review: Review) -> bool:
    if is_administrator(user) or is_marketing_manager(user):
        return True
    return bool(user and user.is_authenticated and review.campaign.owner_id == user.pk)


def is_review_writer(user, review: Review) -> bool:
    """The campaign's owner or a manager: who edits the review while it is a draft."""
    return _owner_or_manager(user, review)


def can_edit_review(user, review: Review) -> bool:
    """The campaign's owner and managers edit a draft review (its lines, texts, lessons, actions)."""
    return review.state == ReviewState.DRAFT and _owner_or_manager(user, review)


def can_finalise_review(user, review: Review) -> bool:
    return can_edit_review(user, review)


def can_archive_review(user, review: Review) -> bool:
    return review.state == ReviewState.FINAL and _owner_or_manager(user, review)


def can_comment_review(user, review: Review) -> bool:
    """Executives comment; so do those who write the review."""
    return is_executive(user) or _owner_or_manager(user, review)


def can_complete_action(user, action: FollowUpAction) -> bool:
    """The action's owner marks it done (a manager may too)."""
    if is_administrator(user) or is_marketing_manager(user):
        return True
    return bool(user and user.is_authenticated and action.owner_id == user.pk)
