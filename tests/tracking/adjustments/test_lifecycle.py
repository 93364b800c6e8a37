"""An adjustment from request to application: minor and major routes, rejection, withdrawal,
the requester never deciding their own, and before / after kept."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from notifications.models import Notification
from plans.models import BudgetLine, Campaign, Target
from tests.factories import UserFactory
from tracking.models import Adjustment, AdjustmentState, ApprovalStep
from tracking.services.adjustments import (
    ProposedChange,
    adjustment_approve,
    adjustment_reject,
    adjustment_request,
    adjustment_withdraw,
)

pytestmark = pytest.mark.django_db


def budget_to(campaign, amount, *, by):
    return adjustment_request(
        by=by,
        kind="budget",
        campaign=campaign,
        reason="The launch sells faster than planned",
        changes=[ProposedChange(subject="campaign", object_id=campaign.pk, field="budget", after=amount)],
    )


def test_a_major_budget_increase_goes_to_the_lead_then_an_executive_and_applies(campaign, owner, lead, executive):
    adjustment = budget_to(campaign, "500000", by=owner)
    assert adjustment.major
    assert adjustment.awaiting == ApprovalStep.LEAD
    assert Notification.objects.filter(recipient=lead, kind="adjustment_awaiting").exists()

    adjustment_approve(adjustment=adjustment, by=lead)
    campaign.refresh_from_db()
    assert campaign.budget == Decimal("300000")  # not yet: the executive decides last
    assert adjustment.awaiting == ApprovalStep.EXECUTIVE
    assert Notification.objects.filter(recipient=executive, kind="adjustment_awaiting").exists()

    adjustment_approve(adjustment=adjustment, by=executive)

    campaign.refresh_from_db()
    assert campaign.budget == Decimal("500000")
    assert campaign.original_budget == Decimal("300000")
    adjustment.refresh_from_db()
    assert adjustment.state == AdjustmentState.APPROVED
    assert adjustment.applied_at is not None
    change = adjustment.changes.get()
    assert (change.before, change.after) == ("300000.00", "500000.00")
    assert [(d.step, d.by) for d in adjustment.decisions.all()] == [("lead", lead), ("executive", executive)]
    assert campaign.history.first().history_change_reason == f"Adjustment #{adjustment.pk}"
    assert Notification.objects.filter(recipient=owner, kind="adjustment_approved").exists()


def test_a_change_at_the_threshold_is_minor_and_just_over_it_is_major(campaign, owner, lead):
    requester = UserFactory(roles=[Role.MARKETING_MANAGER])
    at_threshold = budget_to(campaign, "315000", by=requester)  # +5 %
    assert not at_threshold.major
    assert at_threshold.awaiting == ApprovalStep.OWNER
    adjustment_withdraw(adjustment=at_threshold, by=requester)

    over = budget_to(campaign, "315000.01", by=requester)
    assert over.major


def test_the_campaign_owner_approves_a_minor_one_and_it_applies_at_once(campaign, owner, goal):
    requester = UserFactory(roles=[Role.MARKETING_MANAGER])
    adjustment = adjustment_request(
        by=requester,
        kind="target",
        campaign=campaign,
        reason="A smaller launch",
        changes=[ProposedChange(subject="target", object_id=goal.pk, field="target_value", after="48000")],
    )

    adjustment_approve(adjustment=adjustment, by=owner)

    goal.refresh_from_db()
    assert goal.target_value == Decimal("48000")
    assert goal.original_value == Decimal("50000")
    assert goal.is_adjusted


def test_the_requester_never_decides_their_own_request(campaign, owner, lead):
    adjustment = budget_to(campaign, "301000", by=owner)  # minor, but the owner asked
    with pytest.raises(ValidationError, match="never approves"):
        adjustment_approve(adjustment=adjustment, by=owner)
    # The marketing lead decides in the owner's place.
    adjustment_approve(adjustment=adjustment, by=lead)
    assert Campaign.objects.get(pk=campaign.pk).budget == Decimal("301000")


def test_someone_else_cannot_approve_the_leads_step(campaign, owner, executive):
    adjustment = budget_to(campaign, "500000", by=owner)
    with pytest.raises(ValidationError):
        adjustment_approve(adjustment=adjustment, by=executive)  # the lead comes first


def test_a_rejection_needs_a_reason_and_changes_nothing(campaign, owner, lead):
    adjustment = budget_to(campaign, "500000", by=owner)
    with pytest.raises(ValidationError, match="why"):
        adjustment_reject(adjustment=adjustment, by=lead, reason=" ")

    adjustment_reject(adjustment=adjustment, by=lead, reason="Not before the results of June")

    adjustment.refresh_from_db()
    assert adjustment.state == AdjustmentState.REJECTED
    assert adjustment.awaiting == ""
    assert Campaign.objects.get(pk=campaign.pk).budget == Decimal("300000")
    assert Notification.objects.filter(recipient=owner, kind="adjustment_rejected").exists()
    with pytest.raises(ValidationError, match="already"):
        adjustment_approve(adjustment=adjustment, by=lead)


def test_only_the_requester_withdraws_and_only_while_pending(campaign, owner, lead):
    adjustment = budget_to(campaign, "500000", by=owner)
    with pytest.raises(ValidationError):
        adjustment_withdraw(adjustment=adjustment, by=lead)
    adjustment_withdraw(adjustment=adjustment, by=owner)
    assert Adjustment.objects.get(pk=adjustment.pk).state == AdjustmentState.WITHDRAWN
    with pytest.raises(ValidationError, match="already"):
        adjustment_withdraw(adjustment=adjustment, by=owner)


def test_applying_refuses_a_value_changed_since_the_request(campaign, owner, lead, executive, admin_user):
    from plans.services import FrozenOverride, campaign_update

    adjustment = budget_to(campaign, "500000", by=owner)
    adjustment_approve(adjustment=adjustment, by=lead)
    campaign_update(campaign=campaign, budget=Decimal("350000"), override=FrozenOverride.administrator(admin_user))

    with pytest.raises(ValidationError, match="changed since this request was submitted"):
        adjustment_approve(adjustment=adjustment, by=executive)

    adjustment.refresh_from_db()
    assert adjustment.state == AdjustmentState.PENDING
    assert adjustment.awaiting == ApprovalStep.EXECUTIVE
    assert not adjustment.decisions.filter(step="executive").exists()
    assert Campaign.objects.get(pk=campaign.pk).budget == Decimal("350000")


def test_a_reallocation_keeps_the_total_unless_it_says_otherwise(campaign, owner, lines):
    online, offline = lines
    moves = [
        ProposedChange(subject="budget_line", object_id=online.pk, field="planned_amount", after="350000"),
        ProposedChange(subject="budget_line", object_id=offline.pk, field="planned_amount", after="260000"),
    ]
    with pytest.raises(ValidationError, match="keeps the total"):
        adjustment_request(by=owner, kind="budget", campaign=campaign, reason="r", changes=moves)

    adjustment = adjustment_request(
        by=owner, kind="budget", campaign=campaign, reason="r", changes=moves, changes_total=True
    )
    assert adjustment.major  # an active plan's own budget


def test_a_reallocation_applies_both_lines_with_their_originals(campaign, owner, lead, executive, lines):
    online, offline = lines
    adjustment = adjustment_request(
        by=owner,
        kind="budget",
        campaign=campaign,
        reason="Offline converts better",
        changes=[
            ProposedChange(subject="budget_line", object_id=online.pk, field="planned_amount", after="350000"),
            ProposedChange(subject="budget_line", object_id=offline.pk, field="planned_amount", after="250000"),
        ],
    )
    adjustment_approve(adjustment=adjustment, by=lead)
    adjustment_approve(adjustment=adjustment, by=executive)

    amounts = dict(BudgetLine.objects.values_list("pk", "planned_amount"))
    assert amounts == {online.pk: Decimal("350000"), offline.pk: Decimal("250000")}
    assert BudgetLine.objects.get(pk=offline.pk).original_amount == Decimal("200000")


def test_a_proposal_is_checked_by_the_rules_of_a_direct_edit(campaign, owner, goal):
    Target.objects.create(
        campaign=campaign,
        parent=goal,
        metric=goal.metric,
        category=goal.category,
        target_value=Decimal("30000"),
        period_start=goal.period_start,
        period_end=goal.period_end,
    )
    with pytest.raises(ValidationError, match="sub-goals add up"):
        adjustment_request(
            by=owner,
            kind="target",
            campaign=campaign,
            reason="r",
            changes=[ProposedChange(subject="target", object_id=goal.pk, field="target_value", after="20000")],
        )
    assert not Adjustment.objects.exists()
    goal.refresh_from_db()
    assert goal.target_value == Decimal("50000")
    assert goal.original_value is None


def test_a_request_refuses_a_field_of_another_kind_or_another_campaign(campaign, owner, goal):
    with pytest.raises(ValidationError, match="cannot change"):
        adjustment_request(
            by=owner,
            kind="schedule",
            campaign=campaign,
            reason="r",
            changes=[ProposedChange(subject="campaign", object_id=campaign.pk, field="budget", after="1")],
        )
    other = Campaign.objects.create(
        plan=campaign.plan,
        name="Other",
        type="launch",
        owner=owner,
        start_date=campaign.start_date,
        end_date=campaign.end_date,
    )
    with pytest.raises(ValidationError, match="another plan or campaign"):
        adjustment_request(
            by=owner,
            kind="budget",
            campaign=campaign,
            reason="r",
            changes=[ProposedChange(subject="campaign", object_id=other.pk, field="budget", after="1")],
        )


def test_a_proposal_that_changes_nothing_is_refused(campaign, owner):
    with pytest.raises(ValidationError, match="nothing would change"):
        budget_to(campaign, "300000", by=owner)


def test_a_strategy_text_change_is_minor_and_shows_as_a_diff(campaign, owner, lead):
    from tracking.adjustment_selectors import adjustment_detail

    campaign.description = "Focus on e-commerce\nLaunch in June"
    campaign.save()
    adjustment = adjustment_request(
        by=lead,
        kind="strategy",
        campaign=campaign,
        reason="Live streaming works better",
        changes=[
            ProposedChange(
                subject="campaign",
                object_id=campaign.pk,
                field="description",
                after="Focus on live streaming\nLaunch in June",
            )
        ],
    )
    assert not adjustment.major
    assert adjustment.awaiting == ApprovalStep.OWNER
    diff = adjustment_detail(adjustment_id=adjustment.pk).changes.all()[0].diff
    assert ("-", "Focus on e-commerce") in diff
    assert ("+", "Focus on live streaming") in diff
    assert (" ", "Launch in June") in diff
