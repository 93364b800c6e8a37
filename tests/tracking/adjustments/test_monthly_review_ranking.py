"""The monthly review's channel lines are the channel-efficiency ranking's figures over the month
(output, cost, output per ¥10,000, rank), so the review and the ranking agree: on the demo, and
with the weekly review's ranking when the month's figures fall in one week."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from plans.models import AnnualPlan
from plans.ranking import period_ranking
from plans.weeks import week_label, week_start
from tests.factories import MetricValueFactory, channel, metric
from tracking.monthly_review import month_bounds

pytestmark = pytest.mark.django_db


def _channel_figures(lines) -> dict:
    return {
        line.obj.code: (line.cost, line.efficiency, line.rank.rank if line.rank else None)
        for line in lines
        if line.kind == "channel" and line.rank is not None
    }


def _ranking_figures(ranking) -> dict:
    return {row.code: (row.cost or Decimal(0), row.efficiency, row.rank) for row in ranking.rows}


def test_on_the_demo_the_monthly_review_and_the_ranking_agree(client):
    call_command("seed_demo", stdout=StringIO())
    plan = AnnualPlan.objects.get()
    client.force_login(plan.owner)
    today = timezone.localdate()
    # The month holding the demo's recorded week (the last seven days).
    month = (today - timedelta(days=3)).replace(day=1)
    start, end = month_bounds(month)

    response = client.get(reverse("tracking:monthly_review_month", args=[plan.pk, f"{month:%Y-%m}"]))
    ranking = period_ranking(plan=plan, start=start, end=end, previous_start=month_bounds(start - timedelta(days=1))[0])

    figures = _channel_figures(response.context["lines"])
    assert figures  # the demo records its figures by channel
    assert figures == _ranking_figures(ranking)
    page = response.content.decode()
    for row in ranking.rows:
        assert f'data-line="channel-{row.channel_id}"' in page


def test_with_one_weeks_figures_the_monthly_review_shows_the_weekly_reviews_ranking(client, manager, campaign, plan):
    monday = date(2026, 6, 8)
    for via, cost, units in (("online", "1000", "90"), ("offline", "1000", "30"), ("ecommerce", "500", "40")):
        for code, value in (("marketing_cost", cost), ("units_sold", units)):
            MetricValueFactory(
                campaign=campaign, metric=metric(code), channel=channel(via), date=monday, value=Decimal(value)
            )
    client.force_login(manager)

    monthly = client.get(reverse("tracking:monthly_review_month", args=[plan.pk, "2026-06"]))
    weekly = client.get(reverse("tracking:plan_review", args=[plan.pk]), {"week": week_label(week_start(monday))})

    assert _channel_figures(monthly.context["lines"]) == _ranking_figures(weekly.context["ranking"])
    ranked = sorted(_channel_figures(monthly.context["lines"]).items(), key=lambda item: item[1][2])
    assert [code for code, _figures in ranked] == ["online", "ecommerce", "offline"]  # 900, 800, 300 per ¥10,000


def test_boosting_a_ranked_channel_without_a_budget_line_opens_the_plans_budget_request(
    client, manager, campaign, plan
):
    for code, value in (("marketing_cost", "1000"), ("units_sold", "50")):
        MetricValueFactory(
            campaign=campaign,
            metric=metric(code),
            channel=channel("social"),
            date=date(2026, 6, 9),
            value=Decimal(value),
        )
    client.force_login(manager)

    response = client.post(
        reverse("tracking:monthly_review_month", args=[plan.pk, "2026-06"]),
        {"line": f"channel-{channel('social').pk}", "decision": "boost", "note": ""},
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("tracking:plan_adjustment_request", args=[plan.pk, "budget"]))
    assert plan.monthly_reviews.get().lines.get().channel == channel("social")
