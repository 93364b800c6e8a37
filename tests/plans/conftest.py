from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import AnnualPlanFactory, CampaignFactory


@pytest.fixture
def plan(manager):
    """The manager's 2026 plan, 年度营销计划."""
    return AnnualPlanFactory(year=2026, title="年度营销计划", owner=manager)


@pytest.fixture
def campaign(plan, manager):
    """A campaign of the manager in `plan`, which began nine days ago and ends in twenty."""
    today = timezone.localdate()
    return CampaignFactory(
        plan=plan, owner=manager, start_date=today - timedelta(days=9), end_date=today + timedelta(days=20)
    )
