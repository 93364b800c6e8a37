"""The campaigns services: a campaign starts in planning, with dates in order and a budget
that is not negative, and moves forward one status at a time unless forced."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plans.models import CampaignStatus
from plans.services import campaign_create, campaign_set_status
from reviews.services.reviews import review_finalise, review_open
from tests.factories import AnnualPlanFactory, CampaignFactory, UserFactory, ready_to_start
from tests.validation import messages

pytestmark = pytest.mark.django_db


def test_campaign_create_starts_in_planning(manager):
    campaign = campaign_create(
        plan=AnnualPlanFactory(),
        name="618",
        type="promotion",
        owner=manager,
        start_date=date(2026, 6, 1),
        end_date=date(2026, 6, 18),
    )

    assert campaign.status == CampaignStatus.PLANNING


def test_campaign_create_refuses_an_end_before_the_start_naming_the_field(manager):
    with pytest.raises(ValidationError) as error:
        campaign_create(
            plan=AnnualPlanFactory(),
            name="618",
            type="promotion",
            owner=manager,
            start_date=date(2026, 6, 18),
            end_date=date(2026, 6, 1),
        )

    assert error.value.message_dict == {"end_date": ["The campaign ends before it starts."]}


def test_campaign_create_refuses_a_negative_budget_naming_the_field(manager):
    with pytest.raises(ValidationError) as error:
        campaign_create(
            plan=AnnualPlanFactory(),
            name="618",
            type="promotion",
            owner=manager,
            start_date=date(2026, 6, 1),
            end_date=date(2026, 6, 18),
            budget=Decimal("-100"),
        )

    assert error.value.message_dict == {"budget": ["The budget cannot be negative."]}


@pytest.mark.parametrize(
    ("start", "wanted"),
    [
        (CampaignStatus.PLANNING, CampaignStatus.EXECUTING),
        (CampaignStatus.EXECUTING, CampaignStatus.REVIEWING),
        (CampaignStatus.REVIEWING, CampaignStatus.ARCHIVED),
    ],
)
def test_campaign_status_moves_forward_one_step(start, wanted):
    campaign = ready_to_start(CampaignFactory(status=start))
    if wanted == CampaignStatus.ARCHIVED:
        review_finalise(review=review_open(campaign=campaign), by=campaign.owner)

    campaign_set_status(campaign=campaign, status=wanted, by=campaign.owner)

    campaign.refresh_from_db()
    assert campaign.status == wanted


@pytest.mark.parametrize(
    ("start", "wanted"),
    [
        (CampaignStatus.EXECUTING, CampaignStatus.PLANNING),
        (CampaignStatus.PLANNING, CampaignStatus.REVIEWING),
        (CampaignStatus.ARCHIVED, CampaignStatus.ARCHIVED),
    ],
)
def test_campaign_status_refuses_going_back_or_skipping(start, wanted):
    campaign = CampaignFactory(status=start)

    with pytest.raises(ValidationError) as error:
        campaign_set_status(campaign=campaign, status=wanted, by=campaign.owner)

    assert "one step at a time" in messages(error.value)
    campaign.refresh_from_db()
    assert campaign.status == start


def test_campaign_status_may_be_moved_back_by_force():
    campaign = CampaignFactory(status=CampaignStatus.ARCHIVED)

    ready_to_start(campaign)
    campaign_set_status(campaign=campaign, status=CampaignStatus.EXECUTING, by=campaign.owner, force=True)

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.EXECUTING


def test_campaign_status_change_keeps_who_made_it_in_history():
    campaign = ready_to_start(CampaignFactory(status=CampaignStatus.PLANNING))
    manager = UserFactory()

    campaign_set_status(campaign=campaign, status=CampaignStatus.EXECUTING, by=manager)

    latest = campaign.history.first()
    assert (latest.status, latest.history_user) == (CampaignStatus.EXECUTING, manager)
