"""The monthly review (月度复盘): each campaign and channel with attainment, cost and efficiency,
flagged under its thresholds; a decision per line; stop and boost open a prefilled budget request."""

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import MetricValueFactory, channel, metric
from tracking.models import MonthlyReviewLine

pytestmark = pytest.mark.django_db

JUNE = "2026-06"


def spend(campaign, via, cost, revenue, on=date(2026, 6, 10), units=None):
    figures = [("marketing_cost", cost), ("sales_revenue", revenue)] + ([("units_sold", units)] if units else [])
    for code, value in figures:
        MetricValueFactory(campaign=campaign, metric=metric(code), channel=channel(via), date=on, value=Decimal(value))


def page(client, plan):
    return client.get(reverse("tracking:monthly_review_month", args=[plan.pk, JUNE]))


def test_each_campaign_and_channel_is_listed_with_its_figures_and_the_weaker_channel_flagged(
    client, manager, campaign, plan, lines
):
    spend(campaign, "online", "1000", "8000", units="80")
    spend(campaign, "offline", "1000", "2000", units="20")
    client.force_login(manager)

    response = page(client, plan)

    rows = {line.key: line for line in response.context["lines"]}
    online, offline = channel("online"), channel("offline")
    assert rows[f"campaign-{campaign.pk}"].cost == Decimal("2000")
    # The ranking's figures: units sold per ¥10,000 of cost, and the rank.
    assert rows[f"channel-{online.pk}"].efficiency == Decimal("800")
    assert rows[f"channel-{offline.pk}"].efficiency == Decimal("200")
    assert (rows[f"channel-{online.pk}"].rank.rank, rows[f"channel-{offline.pk}"].rank.rank) == (1, 2)
    assert rows[f"channel-{offline.pk}"].flagged  # below the plan's 500
    assert not rows[f"channel-{online.pk}"].flagged


def test_a_boost_records_the_decision_and_opens_a_prefilled_budget_request(client, manager, campaign, plan, lines):
    client.force_login(manager)
    online_line = lines[0]

    response = client.post(
        reverse("tracking:monthly_review_month", args=[plan.pk, JUNE]),
        {"line": f"channel-{channel('online').pk}", "decision": "boost", "note": "Best channel"},
    )

    assert response.status_code == 302
    target = urlparse(response.url)
    assert target.path == reverse("tracking:plan_adjustment_request", args=[plan.pk, "budget"])
    query = parse_qs(target.query)
    assert query[f"v-budget_line-{online_line.pk}-planned_amount"] == ["440000.00"]
    assert "2026-06" in query["reason"][0]
    decision = MonthlyReviewLine.objects.get()
    assert (decision.decision, decision.note, decision.decided_by) == ("boost", "Best channel", manager)
    form = client.get(response.url).content.decode()
    assert 'value="440000.00"' in form


def test_a_stop_on_a_campaign_proposes_its_budget_down_to_what_it_spent(client, manager, campaign, plan):
    spend(campaign, "online", "1200", "100")
    client.force_login(manager)
    response = client.post(
        reverse("tracking:monthly_review_month", args=[plan.pk, JUNE]),
        {"line": f"campaign-{campaign.pk}", "decision": "stop"},
    )
    query = parse_qs(urlparse(response.url).query)
    assert query[f"v-campaign-{campaign.pk}-budget"] == ["1200.00"]


def test_continue_stays_on_the_review_and_a_second_decision_replaces_the_first(client, manager, campaign, plan):
    client.force_login(manager)
    url = reverse("tracking:monthly_review_month", args=[plan.pk, JUNE])
    client.post(url, {"line": f"campaign-{campaign.pk}", "decision": "boost"})
    response = client.post(url, {"line": f"campaign-{campaign.pk}", "decision": "continue"})
    assert response.url == url
    assert list(MonthlyReviewLine.objects.values_list("decision", flat=True)) == ["continue"]


def test_only_those_who_request_adjustments_decide(client, make_user, campaign, plan):
    client.force_login(make_user(Role.EXECUTIVE))
    assert page(client, plan).status_code == 200
    url = reverse("tracking:monthly_review_month", args=[plan.pk, JUNE])
    assert client.post(url, {"line": f"campaign-{campaign.pk}", "decision": "stop"}).status_code == 403
    assert client.get(reverse("tracking:monthly_review_month", args=[plan.pk, "2026-13"])).status_code == 404


def test_the_review_runs_the_same_queries_for_few_and_many_lines(client, count_queries, manager, plan, owner):
    from tests.factories import BudgetLineFactory, CampaignFactory

    client.force_login(manager)
    CampaignFactory(plan=plan, owner=owner, status="executing")
    BudgetLineFactory(plan=plan, channel=channel("online"))
    page(client, plan)
    small = count_queries(lambda: page(client, plan))
    for code in ("ecommerce", "social", "stores"):
        BudgetLineFactory(plan=plan, channel=channel(code))
        spend(CampaignFactory(plan=plan, owner=owner, status="executing"), code, "10", "20", units="3")
    assert count_queries(lambda: page(client, plan)) == small
