"""The lifecycle's deadlines, checked once a day (reviews.check_deadlines): a campaign still in
planning 3 working days after its start tells its owner; a campaign past its end gets its
review as a draft and its owner is told; a review not final 3 working days after the end
tells the owner and the plan's owner (the marketing lead), once."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.services import notify
from plans.calendar import kickoff_deadline
from plans.models import Campaign, CampaignStatus

from ..models import NotificationKind, Review, ReviewState
from .reviews import review_open

BATCH = 200
# A deadline missed longer ago than this was told about already: not read again.
LOOK_BACK_DAYS = 30


@dataclass
class DeadlineCounts:
    kickoff_overdue: int = 0
    reviews_opened: int = 0
    reviews_overdue: int = 0


def check_deadlines(*, today: date | None = None) -> DeadlineCounts:
    """Run every deadline check of the day; safe to run twice (notify tells each person once,
    a campaign has one review)."""
    today = today or timezone.localdate()
    counts = DeadlineCounts()
    since = today - timedelta(days=LOOK_BACK_DAYS)
    planning = Campaign.objects.filter(status=CampaignStatus.PLANNING, start_date__range=(since, today))
    for campaign in planning.select_related("owner").order_by("-start_date", "pk")[:BATCH]:
        if kickoff_deadline(campaign) < today:
            with transaction.atomic():
                told = notify(
                    recipients=[campaign.owner],
                    subject=campaign,
                    kind=NotificationKind.KICKOFF_OVERDUE,
                    wording=_kickoff_wording(campaign),
                    url=campaign.get_absolute_url(),
                )
            counts.kickoff_overdue += told.notifications
    ended = Campaign.objects.filter(
        status__in=[CampaignStatus.EXECUTING, CampaignStatus.REVIEWING], end_date__lt=today, review__isnull=True
    ).select_related("owner", "plan")
    for campaign in ended.order_by("end_date", "pk")[:BATCH]:
        with transaction.atomic():
            review = review_open(campaign=campaign)
            notify(
                recipients=[campaign.owner],
                subject=review,
                kind=NotificationKind.REVIEW_OPENED,
                wording=_opened_wording(review),
                url=review.get_absolute_url(),
            )
        counts.reviews_opened += 1
    late = Review.objects.filter(state=ReviewState.DRAFT, due_date__range=(since, today - timedelta(days=1)))
    for review in late.select_related("campaign__owner", "campaign__plan__owner").order_by("-due_date")[:BATCH]:
        with transaction.atomic():
            told = notify(
                recipients=[review.campaign.owner, review.campaign.plan.owner],
                subject=review,
                kind=NotificationKind.REVIEW_OVERDUE,
                wording=_overdue_wording(review),
                url=review.get_absolute_url(),
            )
        counts.reviews_overdue += told.notifications
    return counts


def _kickoff_wording(campaign: Campaign):
    def wording(language, user):
        with translation.override(language):
            return (
                _("%(campaign)s is still in planning 3 working days after its start") % {"campaign": campaign.name},
                _("Break its goals down, set its stages and tasks, then move it to executing."),
            )

    return wording


def _opened_wording(review: Review):
    def wording(language, user):
        with translation.override(language):
            return (
                _("%(campaign)s has ended: its review is due %(due)s")
                % {
                    "campaign": review.campaign.name,
                    "due": review.due_date.isoformat(),
                },
                _("Compare each goal with its target, hold the review meeting and write the report."),
            )

    return wording


def _overdue_wording(review: Review):
    def wording(language, user):
        with translation.override(language):
            return (
                _("The review of %(campaign)s is overdue (due %(due)s)")
                % {
                    "campaign": review.campaign.name,
                    "due": review.due_date.isoformat(),
                },
                _("Finalise the review: the campaign cannot be archived before."),
            )

    return wording
