"""The adjustments API: the same rules and permissions as the pages, the list's filters, and a
fixed number of queries whatever the number of rows."""

from decimal import Decimal

import pytest

from accounts.models import Role
from plans.models import Campaign
from tests.api import NOT_MANAGERS, ids, results, url
from tests.factories import CampaignFactory, UserFactory
from tests.factories.adjustments import request_budget
from tracking.models import AdjustmentState
from tracking.services.adjustments import adjustment_approve

pytestmark = pytest.mark.django_db


def budget_request(campaign, amount="500000", **fields):
    return {
        "kind": "budget",
        "campaign": campaign.pk,
        "reason": "Sells faster than planned",
        "changes": [{"subject": "campaign", "object_id": campaign.pk, "field": "budget", "after": amount}],
        **fields,
    }


def test_a_manager_requests_and_the_lead_and_an_executive_approve_through_the_api(client_as, campaign, lead, executive):
    requester = client_as(Role.MARKETING_MANAGER)
    created = requester.post(url("adjustment-list"), budget_request(campaign), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["major"] is True
    assert body["awaiting"] == "lead"
    assert body["changes"][0]["before"] == "300000.00"

    adjustment = body["id"]
    refused = client_as(executive).post(url("adjustment-approve", adjustment), {}, format="json")
    assert refused.status_code == 403  # the lead decides first
    assert (
        client_as(lead).post(url("adjustment-approve", adjustment), {}, format="json").json()["awaiting"] == "executive"
    )
    approved = client_as(executive).post(url("adjustment-approve", adjustment), {"note": "OK"}, format="json")

    assert approved.json()["state"] == "approved"
    assert [d["step"] for d in approved.json()["decisions"]] == ["lead", "executive"]
    assert Campaign.objects.get(pk=campaign.pk).budget == Decimal("500000")


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_those_who_do_not_manage_the_campaign_cannot_request(client_as, campaign, who):
    response = client_as(who).post(url("adjustment-list"), budget_request(campaign), format="json")
    assert response.status_code == 403


def test_a_bad_proposal_is_a_400_naming_the_field(client_as, campaign):
    client = client_as(Role.MARKETING_MANAGER)
    bad_number = client.post(url("adjustment-list"), budget_request(campaign, amount="lots"), format="json")
    no_reason = client.post(url("adjustment-list"), budget_request(campaign, reason=""), format="json")
    negative = client.post(url("adjustment-list"), budget_request(campaign, amount="-1"), format="json")

    assert bad_number.status_code == 400
    assert "budget" in bad_number.json()
    assert "reason" in no_reason.json()
    assert negative.status_code == 400
    assert "budget" in negative.json()


def test_rejecting_needs_a_reason_and_withdrawing_is_for_the_requester(client_as, campaign, lead):
    requester = client_as(Role.MARKETING_MANAGER)
    adjustment = requester.post(url("adjustment-list"), budget_request(campaign), format="json").json()["id"]

    assert client_as(lead).post(url("adjustment-reject", adjustment), {}, format="json").status_code == 400
    assert client_as(lead).post(url("adjustment-withdraw", adjustment), {}, format="json").status_code == 403
    withdrawn = requester.post(url("adjustment-withdraw", adjustment), {}, format="json")
    assert withdrawn.json()["state"] == AdjustmentState.WITHDRAWN


def test_a_token_reads_but_does_not_request(client_as, campaign):
    request_budget(campaign)
    token = client_as("token")
    assert len(results(token.get(url("adjustment-list")))) == 1
    assert token.post(url("adjustment-list"), budget_request(campaign), format="json").status_code == 403


def test_the_list_filters_by_state_kind_campaign_requester_and_approver(client_as, campaign, lead, owner):
    other = CampaignFactory(plan=campaign.plan, status="executing", owner=owner)
    requester = UserFactory(roles=[Role.MARKETING_MANAGER])
    first = request_budget(campaign, by=requester)
    second = request_budget(other, amount="301000")
    adjustment_approve(adjustment=second, by=owner)
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("adjustment-list"), {"state": "pending"})) == [first.pk]
    assert ids(client.get(url("adjustment-list"), {"campaign": other.pk})) == [second.pk]
    assert ids(client.get(url("adjustment-list"), {"requester": requester.pk})) == [first.pk]
    assert ids(client.get(url("adjustment-list"), {"approver": owner.pk})) == [second.pk]
    assert ids(client.get(url("adjustment-list"), {"kind": "target"})) == []
    assert ids(client.get(url("adjustment-list"), {"plan": campaign.plan_id})) == sorted([first.pk, second.pk])
    later = client.get(url("adjustment-list"), {"updated_after": "2999-01-01T00:00:00Z"})
    assert results(later) == []
    assert client.get(url("adjustment-list"), {"state": "nonsense"}).status_code == 400


def _fill(n, campaign, lead):
    for i in range(n):
        adjustment = request_budget(campaign, amount=str(400000 + i))
        if i % 2:
            adjustment_approve(adjustment=adjustment, by=lead)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_list_runs_the_same_queries_for_3_and_13_rows(client_as, count_queries, campaign, lead, fmt):
    client = client_as(Role.VIEWER)
    params = {"format": fmt}
    _fill(3, campaign, lead)
    client.get(url("adjustment-list"), params)
    small = count_queries(lambda: client.get(url("adjustment-list"), params))
    _fill(10, campaign, lead)
    large = count_queries(lambda: client.get(url("adjustment-list"), params))
    assert small == large


@pytest.mark.parametrize("who", [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER])
def test_only_the_marketing_lead_decides_the_first_step_of_a_major_request_in_api_and_pages(
    client_as, client, campaign, owner, who
):
    from django.urls import reverse

    adjustment = request_budget(campaign, by=owner)
    api = client_as(who)
    assert api.post(url("adjustment-approve", adjustment.pk), {}, format="json").status_code == 403
    assert api.post(url("adjustment-reject", adjustment.pk), {"reason": "no"}, format="json").status_code == 403
    client.force_login(api.user)
    assert client.post(reverse("tracking:adjustment_approve", args=[adjustment.pk])).status_code == 403
    assert client.post(reverse("tracking:adjustment_reject", args=[adjustment.pk]), {"reason": "no"}).status_code == 403
    assert client_as("token").post(url("adjustment-approve", adjustment.pk), {}, format="json").status_code == 403
