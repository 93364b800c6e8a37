"""An adjusted figure on the plan and campaign pages opens the list of the approved adjustments
that changed it (before → after, requester, approvers, date): a <details> that works by
keyboard and on a phone, whose list tracking serves in a fixed number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.adjustments import request_budget
from tracking.services.adjustments import adjustment_approve, adjustment_reject

pytestmark = pytest.mark.django_db


def _approved(campaign, amount, *, by, lead, executive):
    adjustment = request_budget(campaign, amount=amount, by=by)
    adjustment_approve(adjustment=adjustment, by=lead)
    adjustment.refresh_from_db()
    if adjustment.state == "pending":
        adjustment_approve(adjustment=adjustment, by=executive)
    adjustment.refresh_from_db()
    return adjustment


def _figure(client, **params):
    return client.get(reverse("tracking:figure_adjustments"), params)


def test_the_campaign_page_opens_the_list_of_the_budgets_approved_adjustments(client, campaign, owner, lead, executive):
    first = _approved(campaign, "500000", by=owner, lead=lead, executive=executive)
    second = _approved(campaign, "520000", by=owner, lead=lead, executive=executive)
    rejected = request_budget(campaign, amount="900000", by=owner)
    adjustment_reject(adjustment=rejected, by=lead, reason="No")
    client.force_login(lead)

    page = client.get(campaign.get_absolute_url()).content.decode()
    listing = _figure(client, subject="campaign", object_id=campaign.pk, field="budget").content.decode()

    details = page[page.index('<details class="small text-body-secondary adjusted-original"') :]
    details = details[: details.index("</details>")]
    assert "<summary>" in details
    assert f"subject=campaign&amp;object_id={campaign.pk}&amp;field=budget" in details
    assert "300,000" in details  # the original, visible without opening
    for adjustment in (first, second):
        assert f'href="{adjustment.get_absolute_url()}"' in listing
        assert timezone.localtime(adjustment.applied_at).strftime("%Y-%m-%d") in listing
    assert "¥300,000 → <strong>¥500,000</strong>" in listing
    assert "¥500,000 → <strong>¥520,000</strong>" in listing
    assert f"requested by {owner.display_name}" in listing
    assert f"approved by {lead.display_name}" in listing
    assert f"approved by {executive.display_name}" in listing
    assert f"#{rejected.pk}" not in listing


def test_the_plan_page_marks_its_figures_with_the_same_details(client, campaign, owner, lead, executive, lines):
    from tracking.services.adjustments import ProposedChange, adjustment_request

    online, _offline = lines
    adjustment = adjustment_request(
        by=owner,
        kind="budget",
        campaign=campaign,
        reason="Online sells",
        changes=[ProposedChange(subject="budget_line", object_id=online.pk, field="planned_amount", after="450000")],
        changes_total=True,
    )
    adjustment_approve(adjustment=adjustment, by=lead)
    adjustment.refresh_from_db()
    if adjustment.state == "pending":
        adjustment_approve(adjustment=adjustment, by=executive)
    client.force_login(lead)

    page = client.get(campaign.plan.get_absolute_url()).content.decode()
    listing = _figure(client, subject="budget_line", object_id=online.pk, field="planned_amount").content.decode()

    assert f"subject=budget_line&amp;object_id={online.pk}&amp;field=planned_amount" in page
    assert "¥400,000 → <strong>¥450,000</strong>" in listing


@pytest.mark.parametrize(
    "params",
    [
        {"subject": "campaign", "object_id": "1", "field": "description"},
        {"subject": "task", "object_id": "1", "field": "due_date"},
        {"subject": "campaign", "object_id": "9" * 30, "field": "budget"},
        {"subject": "campaign", "object_id": "١", "field": "budget"},
        {},
    ],
)
def test_a_figure_it_does_not_know_is_a_404(client, lead, params):
    client.force_login(lead)
    assert _figure(client, **params).status_code == 404


def test_the_list_runs_the_same_queries_for_1_and_4_adjustments(
    client, count_queries, campaign, owner, lead, executive
):
    client.force_login(lead)
    _approved(campaign, "500000", by=owner, lead=lead, executive=executive)
    params = {"subject": "campaign", "object_id": campaign.pk, "field": "budget"}
    one = count_queries(lambda: _figure(client, **params))
    for amount in ("510000", "520000", "530000"):
        _approved(campaign, amount, by=owner, lead=lead, executive=executive)
    assert count_queries(lambda: _figure(client, **params)) == one
