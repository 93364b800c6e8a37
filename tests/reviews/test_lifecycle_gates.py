"""The lifecycle gates: kickoff needs goals, a split headline goal, stages and tasks; the
archive needs a final review."""

import pytest
from django.core.exceptions import ValidationError

from plans.models import CampaignStatus
from plans.services import campaign_set_status
from reviews.services.reviews import review_archive, review_finalise
from tests.factories import CampaignFactory, StageFactory, TargetFactory, UserFactory, ready_to_start
from tests.factories.reviews import form4_review

pytestmark = pytest.mark.django_db


def test_kickoff_lists_everything_missing():
    campaign = CampaignFactory()

    with pytest.raises(ValidationError) as error:
        campaign_set_status(campaign=campaign, status=CampaignStatus.EXECUTING, by=campaign.owner)

    text = " ".join(error.value.messages)
    assert "Goals" in text
    assert "Stages" in text
    assert "Tasks" in text


def test_kickoff_needs_the_headline_goal_split():
    campaign = CampaignFactory()
    TargetFactory(campaign=campaign)
    StageFactory(campaign=campaign)

    with pytest.raises(ValidationError, match="Sub-goals"):
        campaign_set_status(campaign=campaign, status=CampaignStatus.EXECUTING, by=campaign.owner)


def test_a_campaign_with_everything_starts():
    campaign = ready_to_start(CampaignFactory())

    campaign_set_status(campaign=campaign, status=CampaignStatus.EXECUTING, by=campaign.owner)

    assert campaign.status == CampaignStatus.EXECUTING


def test_no_archive_without_a_review_even_by_force():
    campaign = CampaignFactory(status=CampaignStatus.REVIEWING)

    with pytest.raises(ValidationError, match="Review"):
        campaign_set_status(campaign=campaign, status=CampaignStatus.ARCHIVED, by=campaign.owner, force=True)


def test_no_archive_while_the_review_is_a_draft():
    review = form4_review()

    with pytest.raises(ValidationError, match="draft"):
        campaign_set_status(campaign=review.campaign, status=CampaignStatus.ARCHIVED, by=review.campaign.owner)
    with pytest.raises(ValidationError, match="final"):
        review_archive(review=review, by=review.campaign.owner)


def test_archiving_a_final_review_archives_its_campaign():
    review = form4_review()
    assert review.campaign.status == CampaignStatus.REVIEWING
    review_finalise(review=review, by=UserFactory())

    review_archive(review=review, by=review.campaign.owner)

    review.campaign.refresh_from_db()
    assert review.campaign.status == CampaignStatus.ARCHIVED
