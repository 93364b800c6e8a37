from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from accounts.models import Role
from tracking.models import ThresholdKind
from tracking.services.thresholds import threshold_create

from ..factories import CampaignFactory, TargetFactory, UserFactory, record


@pytest.fixture
def owner(make_user):
    """The campaign's owner, in the staff role (not a marketing manager)."""
    return make_user(Role.STAFF, username="owner")


@pytest.fixture
def campaign(owner):
    """A campaign of `owner` through June 2026 (the factory's dates), with a budget of 300,000,
    in a plan whose owner is "planner"."""
    return CampaignFactory(
        owner=owner, name="618 大促", budget=Decimal("300000"), plan__owner=UserFactory(username="planner")
    )


@pytest.fixture
def goal(campaign):
    return TargetFactory(campaign=campaign, target_value=Decimal("50000"))


@pytest.fixture
def now():
    """Noon on 14 June 2026: day 14 of the campaign's 30."""
    return datetime(2026, 6, 14, 12, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))


@pytest.fixture
def frozen(now, monkeypatch):
    """The job and the command read the clock: stop it at `now`."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    return now


@pytest.fixture
def breaching(campaign):
    """A campaign goal at a third of its pace, watched by a threshold that notifies two people."""
    target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
    record(campaign, "units_sold", {1: 5000})
    extra = UserFactory(username="ecommerce")
    return threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), recipients=[extra])
