"""The people and the executing campaign the adjustment tests share."""

from decimal import Decimal

import pytest

from accounts.models import Role
from plans.models import CampaignStatus, PlanStatus
from tests.factories import AnnualPlanFactory, BudgetLineFactory, CampaignFactory, TargetFactory, UserFactory, channel


@pytest.fixture
def lead(db):
    """The marketing lead: the marketing manager who owns the plan."""
    return UserFactory(username="lead", roles=[Role.MARKETING_MANAGER])


@pytest.fixture
def owner(db):
    """The campaign's owner, a marketing manager."""
    return UserFactory(username="owner", roles=[Role.MARKETING_MANAGER])


@pytest.fixture
def executive(db):
    return UserFactory(username="exec", roles=[Role.EXECUTIVE])


@pytest.fixture
def plan(lead):
    return AnnualPlanFactory(owner=lead, status=PlanStatus.ACTIVE, budget=Decimal("1000000"))


@pytest.fixture
def campaign(plan, owner):
    return CampaignFactory(plan=plan, owner=owner, status=CampaignStatus.EXECUTING, budget=Decimal("300000"))


@pytest.fixture
def goal(campaign):
    return TargetFactory(campaign=campaign, target_value=Decimal("50000"))


@pytest.fixture
def lines(plan):
    """Two channel lines of the plan: online 400,000 and offline 200,000."""
    return (
        BudgetLineFactory(plan=plan, channel=channel("online"), planned_amount=Decimal("400000")),
        BudgetLineFactory(plan=plan, channel=channel("offline"), planned_amount=Decimal("200000")),
    )
