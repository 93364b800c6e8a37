"""The channel-efficiency ranking (渠道效能榜): output per cost by channel, rank and its change."""

from datetime import timedelta
from decimal import Decimal

import pytest

from plans.ranking import channel_ranking
from tests.factories import metric
from tests.factories.weekly import WEEK, daily_sales, week_campaign

pytestmark = pytest.mark.django_db


def _week(campaign, *, monday, via, units, cost):
    daily_sales(campaign, start=monday, days=1, value=units, via=via)
    daily_sales(campaign, start=monday, days=1, value=cost, via=via, code="marketing_cost")


def test_channels_rank_by_output_per_cost_and_the_arrow_shows_the_move():
    campaign = week_campaign()
    last = WEEK - timedelta(days=7)
    _week(campaign, monday=last, via="ecommerce", units="100", cost="10000")  # 100 per 万
    _week(campaign, monday=last, via="stores", units="50", cost="10000")  # 50 per 万
    _week(campaign, monday=WEEK, via="ecommerce", units="80", cost="10000")  # 80
    _week(campaign, monday=WEEK, via="stores", units="120", cost="10000")  # 120: moves up

    ranking = channel_ranking(plan=campaign.plan, campaign=campaign, monday=WEEK)

    rows = {row.code: row for row in ranking.rows}
    assert [row.code for row in ranking.rows] == ["stores", "ecommerce"]
    assert rows["stores"].efficiency == Decimal("120")
    assert rows["stores"].output == Decimal("120")
    assert (rows["stores"].rank, rows["stores"].previous_rank, rows["stores"].arrow) == (1, 2, "up")
    assert (rows["ecommerce"].rank, rows["ecommerce"].movement, rows["ecommerce"].arrow) == (2, -1, "down")


def test_the_week_runs_monday_to_sunday():
    campaign = week_campaign()
    daily_sales(campaign, start=WEEK - timedelta(days=1), days=1, value="999", via="stores")  # last Sunday
    daily_sales(campaign, start=WEEK + timedelta(days=6), days=1, value="7", via="stores")  # this Sunday
    daily_sales(campaign, start=WEEK + timedelta(days=7), days=1, value="999", via="stores")  # next Monday
    daily_sales(campaign, start=WEEK, days=1, value="100", via="stores", code="marketing_cost")

    (row,) = channel_ranking(plan=campaign.plan, campaign=campaign, monday=WEEK).rows

    assert row.output == Decimal("7")
    assert row.efficiency == Decimal("700")
    assert row.arrow == "new"  # last week it had output but no cost: not ranked


def test_a_channel_without_cost_is_listed_unranked_after_the_ranked_ones():
    campaign = week_campaign()
    _week(campaign, monday=WEEK, via="ecommerce", units="10", cost="10000")
    daily_sales(campaign, start=WEEK, days=1, value="500", via="stores")

    rows = channel_ranking(plan=campaign.plan, campaign=campaign, monday=WEEK).rows

    assert [(row.code, row.rank, row.arrow) for row in rows] == [("ecommerce", 1, "new"), ("stores", None, "")]


def test_the_plan_chooses_what_counts_as_output_and_conversion_is_shown_where_recorded():
    campaign = week_campaign()
    campaign.plan.ranking_output_metric = metric("sales_revenue")
    campaign.plan.save()
    _week(campaign, monday=WEEK, via="ecommerce", units="10", cost="10000")
    daily_sales(campaign, start=WEEK, days=1, value="50000", via="ecommerce", code="sales_revenue")
    # Conversion rate is derived (orders / visitors): 10 orders of 400 visitors is 2.5%.
    daily_sales(campaign, start=WEEK, days=2, value="5", via="ecommerce", code="orders")
    daily_sales(campaign, start=WEEK, days=2, value="200", via="ecommerce", code="visitors")

    (row,) = channel_ranking(plan=campaign.plan, campaign=campaign, monday=WEEK).rows

    assert row.output == Decimal("50000")
    assert row.efficiency == Decimal("50000")
    assert row.conversion == Decimal("2.5")


def test_the_rankings_conversion_is_the_weeks_orders_over_its_visitors():
    campaign = week_campaign()
    _week(campaign, monday=WEEK, via="ecommerce", units="10", cost="10000")
    # Last week's orders and a typed conversion rate count nowhere; this week: 7 of 300.
    daily_sales(campaign, start=WEEK - timedelta(days=7), days=1, value="90", via="ecommerce", code="orders")
    daily_sales(campaign, start=WEEK, days=1, value="99", via="ecommerce", code="conversion_rate")
    daily_sales(campaign, start=WEEK, days=1, value="7", via="ecommerce", code="orders")
    daily_sales(campaign, start=WEEK, days=3, value="100", via="ecommerce", code="visitors")

    (row,) = channel_ranking(plan=campaign.plan, campaign=campaign, monday=WEEK).rows

    assert row.conversion.quantize(Decimal("0.0001")) == Decimal("2.3333")


def test_the_plan_ranking_adds_up_its_campaigns_and_a_campaign_ranking_only_its_own():
    campaign = week_campaign()
    other = week_campaign(plan=campaign.plan)
    _week(campaign, monday=WEEK, via="stores", units="10", cost="10000")
    _week(other, monday=WEEK, via="stores", units="30", cost="10000")

    (plan_row,) = channel_ranking(plan=campaign.plan, monday=WEEK).rows
    (campaign_row,) = channel_ranking(plan=campaign.plan, campaign=campaign, monday=WEEK).rows

    assert plan_row.output == Decimal("40")
    assert plan_row.cost == Decimal("20000")
    assert campaign_row.output == Decimal("10")


@pytest.mark.parametrize(("channels", "days"), [(2, 1), (8, 7)])
def test_the_ranking_takes_two_queries_whatever_the_number_of_channels_and_values(
    channels, days, django_assert_num_queries
):
    from plans.models import Channel

    campaign = week_campaign()
    for code in Channel.objects.order_by("pk").values_list("code", flat=True)[:channels]:
        for monday in (WEEK - timedelta(days=7), WEEK):
            daily_sales(campaign, start=monday, days=days, value="10", via=code)
            daily_sales(campaign, start=monday, days=days, value="1000", via=code, code="marketing_cost")

    with django_assert_num_queries(2):
        ranking = channel_ranking(plan=campaign.plan, campaign=campaign, monday=WEEK)
    assert len(ranking.rows) == channels
