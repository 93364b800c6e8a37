from datetime import timedelta

import pytest

from accounts.models import Role
from tests.factories import CampaignFactory
from tests.plans.imports.uploads import TODAY


@pytest.fixture
def owner(make_user):
    """The campaign's owner, in the staff role (not a marketing manager)."""
    return make_user(Role.STAFF, username="owner")


@pytest.fixture
def campaign(owner):
    """A campaign of `owner` that began 30 days ago and ends in 10: the values of the files,
    dated in the last days, fall in it."""
    return CampaignFactory(owner=owner, start_date=TODAY - timedelta(days=30), end_date=TODAY + timedelta(days=10))
