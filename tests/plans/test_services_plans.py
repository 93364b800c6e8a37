"""The plans services: a plan starts in draft and moves one status at a time (an administrator
may force it), one active plan a year, each change kept with its author; a plan's items,
quarterly focus and budget lines."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from plans.models import AnnualPlan, PlanItem, PlanStatus
from plans.services import budget_line_save, plan_create, plan_item_save, plan_set_status, quarter_focus_set
from tests.factories import AnnualPlanFactory, channel
from tests.validation import messages

pytestmark = pytest.mark.django_db


def test_plan_create_starts_in_draft(manager):
    plan = plan_create(year=2026, title="2026 plan", owner=manager)

    assert plan.status == PlanStatus.DRAFT
    assert plan.approved_by is None


def test_plan_create_refuses_a_year_out_of_range_naming_the_field(manager):
    with pytest.raises(ValidationError) as error:
        plan_create(year=1999, title="Old", owner=manager)

    assert error.value.message_dict == {"year": ["The year must be between 2000 and 2100."]}
    assert not AnnualPlan.objects.exists()


@pytest.mark.parametrize(
    ("start", "wanted"),
    [
        (PlanStatus.DRAFT, PlanStatus.APPROVED),
        (PlanStatus.APPROVED, PlanStatus.ACTIVE),
        (PlanStatus.ACTIVE, PlanStatus.CLOSED),
        (PlanStatus.APPROVED, PlanStatus.DRAFT),
    ],
)
def test_plan_status_moves_forward_one_step_or_back_to_draft_from_approved(start, wanted, manager):
    plan = AnnualPlanFactory(status=start)

    plan_set_status(plan=plan, status=wanted, by=manager)

    plan.refresh_from_db()
    assert plan.status == wanted


@pytest.mark.parametrize(
    ("start", "wanted"),
    [
        (PlanStatus.DRAFT, PlanStatus.ACTIVE),
        (PlanStatus.DRAFT, PlanStatus.CLOSED),
        (PlanStatus.ACTIVE, PlanStatus.DRAFT),
        (PlanStatus.CLOSED, PlanStatus.ACTIVE),
        (PlanStatus.ACTIVE, PlanStatus.APPROVED),
    ],
)
def test_plan_status_refuses_skipping_or_going_back(start, wanted, manager):
    plan = AnnualPlanFactory(status=start)

    with pytest.raises(ValidationError) as error:
        plan_set_status(plan=plan, status=wanted, by=manager)

    assert "status" in error.value.message_dict
    plan.refresh_from_db()
    assert plan.status == start


def test_plan_status_may_be_forced_past_the_order(admin_user):
    plan = AnnualPlanFactory(status=PlanStatus.CLOSED)

    plan_set_status(plan=plan, status=PlanStatus.DRAFT, by=admin_user, force=True)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_approving_a_plan_records_who_and_when(manager):
    plan = AnnualPlanFactory(status=PlanStatus.DRAFT)
    before = timezone.now()

    plan_set_status(plan=plan, status=PlanStatus.APPROVED, by=manager)

    plan.refresh_from_db()
    assert plan.approved_by == manager
    assert before <= plan.approved_at <= timezone.now()


def test_only_one_plan_per_year_may_be_active(manager):
    AnnualPlanFactory(year=2026, status=PlanStatus.ACTIVE)
    second = AnnualPlanFactory(year=2026, status=PlanStatus.APPROVED)

    with pytest.raises(ValidationError) as error:
        plan_set_status(plan=second, status=PlanStatus.ACTIVE, by=manager)

    assert "already active for 2026" in messages(error.value)
    second.refresh_from_db()
    assert second.status == PlanStatus.APPROVED


def test_a_plan_of_another_year_may_be_active_alongside(manager):
    AnnualPlanFactory(year=2026, status=PlanStatus.ACTIVE)
    next_year = AnnualPlanFactory(year=2027, status=PlanStatus.APPROVED)

    plan_set_status(plan=next_year, status=PlanStatus.ACTIVE, by=manager)

    assert AnnualPlan.objects.active().count() == 2


def test_a_status_change_is_kept_in_history_with_its_author_outside_a_request(manager):
    plan = AnnualPlanFactory(status=PlanStatus.DRAFT)

    plan_set_status(plan=plan, status=PlanStatus.APPROVED, by=manager)

    latest = plan.history.first()
    assert plan.history.count() == 2
    assert latest.status == PlanStatus.APPROVED
    assert latest.history_user == manager


# plan items, quarterly focus, budget lines --------------------------------------------------


def test_plan_item_save_refuses_a_category_of_another_section():
    plan = AnnualPlanFactory()

    with pytest.raises(ValidationError) as error:
        plan_item_save(plan=plan, section="strategy", category="competition", title="Price war")

    assert "category" in error.value.message_dict
    assert not PlanItem.objects.exists()


def test_plan_item_save_adds_then_changes_an_item():
    plan = AnnualPlanFactory()

    item = plan_item_save(plan=plan, section="challenge", category="competition", title="Price war")
    plan_item_save(plan=plan, section="challenge", category="conversion", title="Funnel leaks", item=item)

    item.refresh_from_db()
    assert (item.category, item.title) == ("conversion", "Funnel leaks")
    assert plan.items.count() == 1


def test_quarter_focus_set_replaces_the_quarter_theme():
    plan = AnnualPlanFactory()

    quarter_focus_set(plan=plan, quarter=1, theme="Launch")
    quarter_focus_set(plan=plan, quarter=1, theme="Launch and warm-up", key_actions="New line")

    assert [(q.quarter, q.theme) for q in plan.quarters.all()] == [(1, "Launch and warm-up")]


def test_budget_line_save_refuses_a_negative_amount_naming_the_field():
    with pytest.raises(ValidationError) as error:
        budget_line_save(plan=AnnualPlanFactory(), category="channel", planned_amount=Decimal("-1"))

    assert error.value.message_dict == {"planned_amount": ["The planned amount cannot be negative."]}


def test_budget_line_save_adds_a_line_on_a_channel():
    plan = AnnualPlanFactory()

    line = budget_line_save(plan=plan, category="channel", channel=channel("ecommerce"), planned_amount=Decimal(5))

    assert list(plan.budget_lines.all()) == [line]
