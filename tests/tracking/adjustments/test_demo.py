"""The demo's adjustments: the launch campaign has an approved budget reallocation (the
marketing lead and the executive approved it), a target adjustment waiting for the executive
and a rejected schedule change; editing its budget directly is refused; seeding again adds none."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.demo import CAMPAIGN_NAME
from plans.models import BudgetLine, Campaign
from tracking.models import Adjustment, AdjustmentState, ApprovalStep

pytestmark = pytest.mark.django_db


def test_the_launch_campaign_has_one_approved_one_pending_and_one_rejected_adjustment(client):
    call_command("seed_demo", stdout=StringIO())
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    adjustments = {a.state: a for a in Adjustment.objects.filter(campaign=campaign)}

    approved = adjustments[AdjustmentState.APPROVED]
    assert approved.kind == "budget"
    assert [(d.step, d.by.username) for d in approved.decisions.all()] == [
        ("lead", "manager"),
        ("executive", "executive"),
    ]
    ecommerce = BudgetLine.objects.get(plan=campaign.plan, channel__code="ecommerce")
    assert ecommerce.planned_amount == Decimal("5500000")
    assert ecommerce.original_amount == Decimal("5000000")
    pending = adjustments[AdjustmentState.PENDING]
    assert (pending.kind, pending.awaiting) == ("target", ApprovalStep.EXECUTIVE)
    assert adjustments[AdjustmentState.REJECTED].kind == "schedule"

    client.force_login(campaign.owner)
    refused = client.post(
        reverse("plans:campaign_edit", args=[campaign.pk]),
        {
            "name": campaign.name,
            "type": campaign.type,
            "owner": campaign.owner_id,
            "start_date": campaign.start_date.isoformat(),
            "end_date": campaign.end_date.isoformat(),
            "budget": "500000",
        },
    )
    assert "Request an adjustment instead" in refused.content.decode()

    call_command("seed_demo", stdout=StringIO())
    assert Adjustment.objects.filter(campaign=campaign).count() == 3
