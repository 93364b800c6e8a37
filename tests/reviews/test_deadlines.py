"""The daily deadlines: kickoff overdue, the review opened when a campaign ends, the review
overdue 3 working days after the end; each told once."""

from datetime import date

import pytest

from notifications.models import Notification
from plans.models import CampaignStatus
from reviews.models import NotificationKind, Review
from reviews.services.actions import ActionInput, action_save
from reviews.services.deadlines import check_deadlines
from tests.factories import CampaignFactory, UserFactory
from tests.factories.reviews import form4_campaign
from tracking.services.digest import digest_items, digest_message

pytestmark = pytest.mark.django_db


def told(kind):
    return list(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_campaign_still_in_planning_after_3_working_days_tells_its_owner_once():
    # Monday 1 June 2026 + 3 working days = Thursday 4 June.
    campaign = CampaignFactory(start_date=date(2026, 6, 1), end_date=date(2026, 6, 30))

    check_deadlines(today=date(2026, 6, 4))
    assert told(NotificationKind.KICKOFF_OVERDUE) == []

    check_deadlines(today=date(2026, 6, 5))
    check_deadlines(today=date(2026, 6, 6))
    assert told(NotificationKind.KICKOFF_OVERDUE) == [campaign.owner.username]


def test_an_ended_campaign_gets_its_review_as_a_draft_and_its_owner_is_told():
    campaign = form4_campaign()

    check_deadlines(today=date(2026, 6, 30))
    assert not Review.objects.exists()

    check_deadlines(today=date(2026, 7, 1))
    check_deadlines(today=date(2026, 7, 1))

    review = Review.objects.get()
    campaign.refresh_from_db()
    assert (review.state, campaign.status) == ("draft", CampaignStatus.REVIEWING)
    # Tuesday 30 June + 3 working days: Friday 3 July.
    assert review.due_date == date(2026, 7, 3)
    assert told(NotificationKind.REVIEW_OPENED) == [campaign.owner.username]


def test_a_review_not_final_after_its_due_date_tells_owner_and_lead_once():
    campaign = form4_campaign()
    check_deadlines(today=date(2026, 7, 1))

    check_deadlines(today=date(2026, 7, 3))
    assert told(NotificationKind.REVIEW_OVERDUE) == []

    check_deadlines(today=date(2026, 7, 4))
    check_deadlines(today=date(2026, 7, 6))
    assert sorted(told(NotificationKind.REVIEW_OVERDUE)) == sorted(
        [campaign.owner.username, campaign.plan.owner.username]
    )


def test_the_digest_lists_follow_up_actions_due():
    owner = UserFactory(username="action-owner")
    campaign = form4_campaign()
    check_deadlines(today=date(2026, 7, 1))
    action_save(
        review=campaign.review, data=ActionInput(action="提前规划直播预算", owner=owner, due_date=date(2026, 7, 10))
    )

    assert owner.pk not in digest_items(today=date(2026, 7, 9))
    items = digest_items(today=date(2026, 7, 10))[owner.pk]

    title, text = digest_message(items, today=date(2026, 7, 10), language="zh-hans")
    assert "提前规划直播预算" in text
    assert "到期的后续行动" in title
