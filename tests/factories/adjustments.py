"""Adjustment requests for the tests, made through the service as a person would."""

from accounts.models import Role
from plans.models import CampaignStatus
from tracking.services.adjustments import ProposedChange, adjustment_request

from .accounts import UserFactory
from .plans import CampaignFactory


def request_budget(campaign=None, *, amount="500000", by=None, reason="The launch sells faster than planned"):
    """A request to set an (executing) campaign's budget; a manager asks unless `by` is given."""
    campaign = campaign or CampaignFactory(status=CampaignStatus.EXECUTING)
    by = by or UserFactory(roles=[Role.MARKETING_MANAGER])
    return adjustment_request(
        by=by,
        kind="budget",
        campaign=campaign,
        reason=reason,
        changes=[ProposedChange(subject="campaign", object_id=campaign.pk, field="budget", after=amount)],
    )
