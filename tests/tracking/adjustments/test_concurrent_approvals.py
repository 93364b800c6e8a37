"""Two executives approve the same request at the same moment, each on its own database
connection, on PostgreSQL: the change applies once, and the other is told it is decided."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import Role
from plans.models import Campaign, CampaignStatus, PlanStatus
from tests.factories import AnnualPlanFactory, CampaignFactory, UserFactory
from tests.factories.adjustments import request_budget
from tests.tracking.test_check_concurrency import at_the_same_time, line_up_once
from tracking.models import Adjustment, AdjustmentDecision, AdjustmentState
from tracking.services import adjustments

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent approvals need PostgreSQL's row locks: run with DATABASE_URL=postgres://…")


@pytest.fixture(autouse=True)
def _off_the_broker(monkeypatch):
    monkeypatch.setattr("notifications.services.publish_deliveries", lambda delivery_ids: None)


def test_two_executives_approving_at_once_apply_the_change_once(monkeypatch):
    lead = UserFactory(roles=[Role.MARKETING_MANAGER])
    plan = AnnualPlanFactory(owner=lead, status=PlanStatus.ACTIVE)
    campaign = CampaignFactory(plan=plan, status=CampaignStatus.EXECUTING, budget=Decimal("300000"))
    executives = [UserFactory(roles=[Role.EXECUTIVE]) for _ in range(2)]
    adjustment = request_budget(campaign, amount="500000")
    adjustments.adjustment_approve(adjustment=adjustment, by=lead)
    line_up_once(monkeypatch, adjustments, "_locked", threading.Barrier(2))
    turn = iter(executives)
    lock = threading.Lock()

    def approve():
        with lock:
            executive = next(turn)
        return adjustments.adjustment_approve(adjustment=Adjustment.objects.get(pk=adjustment.pk), by=executive)

    results = at_the_same_time(approve)

    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(refused) == 1, results
    assert "already" in str(refused[0])
    assert Adjustment.objects.get(pk=adjustment.pk).state == AdjustmentState.APPROVED
    assert AdjustmentDecision.objects.filter(adjustment=adjustment, step="executive").count() == 1
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.budget == Decimal("500000")
    assert campaign.original_budget == Decimal("300000")
    applied = campaign.history.filter(history_change_reason=f"Adjustment #{adjustment.pk}")
    assert applied.count() == 1
