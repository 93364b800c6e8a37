"""Each kind applies through the service a direct edit uses: several tasks' dates and a
milestone in one schedule request, a plan section's text, a plan target with its quarterly split."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from plans.models import PlanItem
from tasks.models import Milestone, Task
from tests.api import url
from tests.factories import MilestoneFactory, StageFactory, TargetFactory, TaskFactory, UserFactory
from tracking.services.adjustments import ProposedChange, adjustment_approve, adjustment_request

pytestmark = pytest.mark.django_db


def test_a_schedule_request_moves_several_tasks_and_a_milestone_once_the_owner_approves(campaign, owner):
    stage = StageFactory(campaign=campaign)
    first, second = TaskFactory(stage=stage), TaskFactory(stage=stage)
    milestone = MilestoneFactory(campaign=campaign, stage=stage, due_date=date(2026, 6, 15))
    requester = UserFactory(roles=[Role.MARKETING_MANAGER])
    adjustment = adjustment_request(
        by=requester,
        kind="schedule",
        campaign=campaign,
        reason="Supplier late",
        changes=[
            ProposedChange(subject="task", object_id=first.pk, field="due_date", after="2026-06-25"),
            ProposedChange(subject="task", object_id=second.pk, field="due_date", after="2026-06-26"),
            ProposedChange(subject="milestone", object_id=milestone.pk, field="due_date", after="2026-06-18"),
        ],
    )
    assert not adjustment.major

    adjustment_approve(adjustment=adjustment, by=owner)

    assert Task.objects.get(pk=first.pk).due_date == date(2026, 6, 25)
    assert Task.objects.get(pk=second.pk).due_date == date(2026, 6, 26)
    assert Milestone.objects.get(pk=milestone.pk).due_date == date(2026, 6, 18)


def test_a_task_starting_after_its_new_deadline_is_refused_before_submission(campaign, owner):
    task = TaskFactory(stage=StageFactory(campaign=campaign), start_date=date(2026, 6, 10))
    with pytest.raises(ValidationError, match="deadline is before the start"):
        adjustment_request(
            by=owner,
            kind="schedule",
            campaign=campaign,
            reason="r",
            changes=[ProposedChange(subject="task", object_id=task.pk, field="due_date", after="2026-06-05")],
        )


def test_a_plan_sections_text_changes_through_a_minor_request_the_plan_owner_approves(plan, lead):
    item = PlanItem.objects.create(plan=plan, section="strategy", category="channel", title_en="Channels", body_en="A")
    requester = UserFactory(roles=[Role.MARKETING_MANAGER])
    adjustment = adjustment_request(
        by=requester,
        kind="strategy",
        plan=plan,
        reason="Live streaming first",
        changes=[ProposedChange(subject="plan_item", object_id=item.pk, field="body_en", after="B")],
    )
    adjustment_approve(adjustment=adjustment, by=lead)
    assert PlanItem.objects.get(pk=item.pk).body_en == "B"


def test_a_plan_target_and_its_split_change_together_and_the_split_must_add_up(plan, lead, executive):
    target = TargetFactory(
        plan=plan,
        campaign=None,
        target_value=Decimal(100),
        q1=Decimal(25),
        q2=Decimal(25),
        q3=Decimal(25),
        q4=Decimal(25),
    )
    requester = UserFactory(roles=[Role.MARKETING_MANAGER])

    def propose(q4):
        return adjustment_request(
            by=requester,
            kind="target",
            plan=plan,
            reason="Market shrank",
            changes=[
                ProposedChange(subject="target", object_id=target.pk, field="target_value", after="90"),
                ProposedChange(subject="target", object_id=target.pk, field="q4", after=q4),
            ],
        )

    with pytest.raises(ValidationError, match="quarterly split"):
        propose("20")
    adjustment = propose("15")
    assert adjustment.major  # an active plan's own target
    adjustment_approve(adjustment=adjustment, by=lead)
    adjustment_approve(adjustment=adjustment, by=executive)
    target.refresh_from_db()
    assert (target.target_value, target.q4, target.original_value) == (Decimal(90), Decimal(15), Decimal(100))


def test_the_responsible_of_a_task_requests_its_schedule_change_through_the_api(client_as, campaign):
    staff = UserFactory(roles=[Role.STAFF])
    stage = StageFactory(campaign=campaign)
    mine, theirs = TaskFactory(stage=stage, responsible=staff), TaskFactory(stage=stage)
    client = client_as(staff)

    def ask(task):
        return client.post(
            url("adjustment-list"),
            {
                "kind": "schedule",
                "campaign": campaign.pk,
                "reason": "Supplier late",
                "changes": [{"subject": "task", "object_id": task.pk, "field": "due_date", "after": "2026-06-25"}],
            },
            format="json",
        )

    assert ask(theirs).status_code == 403
    assert ask(mine).status_code == 201
