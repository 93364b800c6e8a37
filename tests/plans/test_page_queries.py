"""The plan and campaign pages run the same number of queries for 3 and 300 campaigns, targets,
budget lines and values."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from plans.models import BudgetLine, Campaign, MetricValue, Target
from tests.factories import AnnualPlanFactory, metric

pytestmark = pytest.mark.django_db


def _fill_plan(plan, campaign_owner, n: int):
    """n campaigns, n plan targets, n budget lines and n metric values."""
    units = metric("units_sold")
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            plan=plan,
            name=f"C{i}",
            type="launch",
            owner=campaign_owner,
            start_date=date(2026, 6, 1),
            end_date=date(2026, 6, 30),
        )
        for i in range(n)
    )
    Target.objects.bulk_create(
        Target(
            plan=plan,
            metric=units,
            category="performance",
            target_value=Decimal(1000),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        for _ in range(n)
    )
    Target.objects.bulk_create(
        Target(
            campaign=c,
            metric=units,
            category="performance",
            target_value=Decimal(100),
            period_start=c.start_date,
            period_end=c.end_date,
        )
        for c in campaigns
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(plan=plan, category="promotion", planned_amount=Decimal(10)) for _ in range(n)
    )
    MetricValue.objects.bulk_create(
        MetricValue(
            metric=units,
            plan=plan,
            campaign=campaigns[i % len(campaigns)],
            date=date(2026, 6, 1) + timedelta(days=i % 30),
            value=Decimal(1),
        )
        for i in range(n)
    )
    return campaigns


def test_the_plan_page_runs_the_same_queries_for_3_and_300_of_everything(client, manager, count_queries, fresh_cache):
    small_plan = AnnualPlanFactory(owner=manager, year=2026)
    big_plan = AnnualPlanFactory(owner=manager, year=2026)
    _fill_plan(small_plan, manager, 3)
    _fill_plan(big_plan, manager, 300)
    client.force_login(manager)

    # The first load computes the figures the cache keeps (plans.actuals), the next reads them.
    small_computing = count_queries(lambda: client.get(small_plan.get_absolute_url()))
    large_computing = count_queries(lambda: client.get(big_plan.get_absolute_url()))
    small = count_queries(lambda: client.get(small_plan.get_absolute_url()))
    large = count_queries(lambda: client.get(big_plan.get_absolute_url()))

    assert small_computing == large_computing
    assert small == large
    # the actuals of the plan's and the campaigns' targets, the recorded cost, the lines' spend
    assert small_computing - small == 4


def test_the_campaign_page_runs_the_same_queries_for_3_and_300_goals_and_values(client, manager, count_queries):
    small_plan, big_plan = AnnualPlanFactory(owner=manager), AnnualPlanFactory(owner=manager)
    small_campaign = _fill_plan(small_plan, manager, 3)[0]
    big_campaign = _fill_plan(big_plan, manager, 300)[0]
    units = metric("units_sold")
    Target.objects.bulk_create(
        Target(
            campaign=big_campaign,
            metric=units,
            category="performance",
            target_value=Decimal(10),
            period_start=date(2026, 6, 1),
            period_end=date(2026, 6, 30),
        )
        for _ in range(300)
    )
    client.force_login(manager)
    client.get(small_campaign.get_absolute_url())

    small = count_queries(lambda: client.get(small_campaign.get_absolute_url()))
    large = count_queries(lambda: client.get(big_campaign.get_absolute_url()))

    assert small == large
