from decimal import Decimal

import pytest

from accounts.models import Role

from ..factories import CampaignFactory, TargetFactory


@pytest.fixture
def owner(make_user):
    """The campaign's owner, in the staff role (not a marketing manager)."""
    return make_user(Role.STAFF, username="owner")


@pytest.fixture
def campaign(owner):
    return CampaignFactory(owner=owner, name="618 大促")


@pytest.fixture
def goal(campaign):
    return TargetFactory(campaign=campaign, target_value=Decimal("50000"))
