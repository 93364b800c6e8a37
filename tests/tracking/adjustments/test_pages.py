"""The adjustment pages: the campaign's card, the request form with its preview, the approval
page with its decisions, and who sees which button."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from plans.models import Campaign
from tests.factories import StageFactory, TaskFactory, UserFactory
from tests.factories.adjustments import request_budget
from tracking.models import Adjustment, AdjustmentState, ApprovalStep

pytestmark = pytest.mark.django_db


def request_url(campaign, kind="budget"):
    return reverse("tracking:campaign_adjustment_request", args=[campaign.pk, kind])


def test_the_campaign_card_lists_requests_by_state_and_offers_each_kind_to_a_manager(client, campaign, owner, lead):
    pending = request_budget(campaign)
    approved = request_budget(campaign, amount="301000")
    from tracking.services.adjustments import adjustment_approve

    adjustment_approve(adjustment=approved, by=owner)
    client.force_login(owner)

    page = client.get(reverse("tracking:campaign_adjustments_panel", args=[campaign.pk])).content.decode()

    pending_part, approved_part = page.split('id="adjustments-pending"')[1], page.split('id="adjustments-approved"')[1]
    assert f'data-adjustment="{pending.pk}"' in pending_part.split('id="adjustments-approved"')[0]
    assert f'data-adjustment="{approved.pk}"' in approved_part.split('id="adjustments-closed"')[0]
    for kind in ("target", "budget", "schedule", "strategy"):
        assert f'data-kind="{kind}"' in page


def test_a_viewer_sees_the_card_without_request_buttons_and_cannot_open_the_form(client, make_user, campaign):
    client.force_login(make_user(Role.VIEWER))
    page = client.get(reverse("tracking:campaign_adjustments_panel", args=[campaign.pk])).content.decode()
    assert "request-adjustment" not in page
    assert client.get(request_url(campaign)).status_code == 403


def test_the_preview_shows_before_and_after_and_saves_nothing(client, manager, campaign):
    client.force_login(manager)
    field = f"v-campaign-{campaign.pk}-budget"

    response = client.post(request_url(campaign), {field: "500000", "reason": "More", "preview": "1"})

    page = response.content.decode()
    assert 'id="adjustment-preview"' in page
    assert "¥300,000" in page
    assert "¥500,000" in page
    assert "major" in page
    assert not Adjustment.objects.exists()


def test_submitting_creates_the_request_and_opens_it(client, manager, campaign):
    client.force_login(manager)
    field = f"v-campaign-{campaign.pk}-budget"

    response = client.post(request_url(campaign), {field: "500000", "reason": "More", "submit": "1"})

    adjustment = Adjustment.objects.get()
    assert response.status_code == 302
    assert response.url == adjustment.get_absolute_url()
    assert adjustment.requested_by == manager
    assert Campaign.objects.get(pk=campaign.pk).budget == Decimal("300000")


def test_a_request_without_a_reason_or_a_value_says_what_is_missing(client, manager, campaign):
    client.force_login(manager)
    no_reason = client.post(request_url(campaign), {f"v-campaign-{campaign.pk}-budget": "1", "submit": "1"})
    nothing = client.post(request_url(campaign), {"reason": "r", "submit": "1"})

    assert "reason" in no_reason.content.decode().lower()
    assert "Propose at least one new value" in nothing.content.decode()
    assert not Adjustment.objects.exists()


def test_the_responsible_of_a_task_requests_a_schedule_change_of_their_task_only(client, make_user, campaign):
    staff = make_user(Role.STAFF)
    stage = StageFactory(campaign=campaign)
    mine = TaskFactory(stage=stage, responsible=staff)
    theirs = TaskFactory(stage=stage)
    client.force_login(staff)

    form = client.get(request_url(campaign, "schedule")).content.decode()
    assert f"v-task-{mine.pk}-due_date" in form
    assert f"v-task-{theirs.pk}-due_date" not in form
    assert f"v-campaign-{campaign.pk}-end_date" not in form
    assert client.get(request_url(campaign, "budget")).status_code == 403

    response = client.post(
        request_url(campaign, "schedule"),
        {f"v-task-{mine.pk}-due_date": "2026-06-25", "reason": "Supplier late", "submit": "1"},
    )
    assert response.status_code == 302
    assert Adjustment.objects.get().awaiting == ApprovalStep.OWNER


def test_the_approval_page_shows_the_diff_and_the_form_to_the_approver_only(client, campaign, owner, lead, executive):
    adjustment = request_budget(campaign, by=owner)
    page = reverse("tracking:adjustment_detail", args=[adjustment.pk])

    client.force_login(lead)
    shown = client.get(page).content.decode()
    assert 'id="approve-adjustment"' in shown
    assert "¥300,000" in shown
    client.force_login(owner)
    assert 'id="approve-adjustment"' not in client.get(page).content.decode()
    assert 'id="withdraw-adjustment"' in client.get(page).content.decode()
    client.force_login(executive)
    assert client.post(reverse("tracking:adjustment_approve", args=[adjustment.pk])).status_code == 403


def test_approving_on_the_pages_goes_lead_then_executive(client, campaign, owner, lead, executive):
    adjustment = request_budget(campaign, by=owner)
    client.force_login(lead)
    client.post(reverse("tracking:adjustment_approve", args=[adjustment.pk]), {"note": ""})
    client.force_login(executive)
    client.post(reverse("tracking:adjustment_approve", args=[adjustment.pk]), {"note": "Go"})

    adjustment.refresh_from_db()
    assert adjustment.state == AdjustmentState.APPROVED
    campaign_page = client.get(campaign.get_absolute_url()).content.decode()
    assert "adjusted-original" in campaign_page


def test_rejecting_on_the_page_needs_a_reason(client, campaign, owner, lead):
    adjustment = request_budget(campaign, by=owner)
    client.force_login(lead)
    client.post(reverse("tracking:adjustment_reject", args=[adjustment.pk]), {"reason": ""})
    assert Adjustment.objects.get(pk=adjustment.pk).state == AdjustmentState.PENDING
    client.post(reverse("tracking:adjustment_reject", args=[adjustment.pk]), {"reason": "Wait for June"})
    assert Adjustment.objects.get(pk=adjustment.pk).state == AdjustmentState.REJECTED


def test_the_dashboard_lists_what_awaits_the_person_with_its_age(client, campaign, owner, lead):
    adjustment = request_budget(campaign, by=owner)
    Adjustment.objects.filter(pk=adjustment.pk).update(created_at="2026-06-01T09:00:00+08:00")
    client.force_login(lead)

    page = client.get(reverse("dashboard")).content.decode()

    assert 'id="adjustments-to-decide"' in page
    assert f'data-adjustment="{adjustment.pk}"' in page
    assert "adjustment-overdue" in page  # pending for months: flagged
    client.force_login(UserFactory(roles=[Role.STAFF]))
    assert 'id="adjustments-to-decide"' not in client.get(reverse("dashboard")).content.decode()


def _requests(n, campaign):
    for i in range(n):
        request_budget(campaign, amount=str(400000 + i))


@pytest.mark.parametrize("name", ["campaign_adjustments", "campaign_adjustments_panel"])
def test_the_campaign_lists_run_the_same_queries_for_2_and_12_requests(client, count_queries, manager, campaign, name):
    client.force_login(manager)
    page = reverse(f"tracking:{name}", args=[campaign.pk])
    _requests(2, campaign)
    client.get(page)
    small = count_queries(lambda: client.get(page))
    _requests(10, campaign)
    assert count_queries(lambda: client.get(page)) == small


def test_the_approval_page_runs_the_same_queries_for_1_and_6_changes(client, count_queries, campaign, owner, lines):
    from tracking.services.adjustments import ProposedChange, adjustment_request

    client.force_login(owner)
    one = request_budget(campaign)
    _online, _offline = lines
    changes = [ProposedChange(subject="campaign", object_id=campaign.pk, field="budget", after="1")]
    changes += [
        ProposedChange(subject="budget_line", object_id=line.pk, field="planned_amount", after="5") for line in lines
    ]
    many = adjustment_request(
        by=UserFactory(roles=[Role.MARKETING_MANAGER]),
        kind="budget",
        campaign=campaign,
        reason="r",
        changes=changes,
        changes_total=True,
    )
    small = count_queries(lambda: client.get(reverse("tracking:adjustment_detail", args=[one.pk])))
    assert count_queries(lambda: client.get(reverse("tracking:adjustment_detail", args=[many.pk]))) == small
