"""plan_detail() and campaign_detail(): everything a plan's or a campaign's page shows, in a
fixed number of queries, with each campaign's headline goal and its spend against budget."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import BudgetLine, Campaign, CampaignType, PlanItem, Target
from plans.selectors import campaign_detail, plan_detail
from tests.factories import (
    JUNE_15,
    AnnualPlanFactory,
    CampaignFactory,
    TargetFactory,
    UserFactory,
    bulk_values,
    channel,
    metric,
    record_value,
)

pytestmark = pytest.mark.django_db


def fill_plan(plan, size: int) -> None:
    """`size` campaigns, plan targets, campaign targets, budget lines and plan items, and
    `size` metric values, all written in bulk."""
    owner = UserFactory()
    units = metric("units_sold")
    Campaign.objects.bulk_create(
        Campaign(
            plan=plan,
            name=f"Campaign {n}",
            type=CampaignType.MAJOR_PROMOTION,
            owner=owner,
            start_date=date(2026, 6, 1),
            end_date=date(2026, 6, 30),
        )
        for n in range(size)
    )
    campaigns = list(plan.campaigns.all())
    plan_targets = [
        Target(
            plan=plan,
            metric=units,
            category="performance",
            channel=channel("online") if n % 2 else None,
            target_value=Decimal(1000),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        for n in range(size)
    ]
    campaign_targets = [
        Target(
            campaign=campaign,
            metric=units,
            category="performance",
            target_value=Decimal(500),
            period_start=date(2026, 6, 1),
            period_end=date(2026, 6, 30),
        )
        for campaign in campaigns
    ]
    Target.objects.bulk_create(plan_targets + campaign_targets)
    BudgetLine.objects.bulk_create(
        BudgetLine(plan=plan, category="channel", channel=channel("online"), planned_amount=Decimal(1000))
        for _ in range(size)
    )
    PlanItem.objects.bulk_create(
        PlanItem(plan=plan, section="strategy", category="price", title=f"Strategy {n}") for n in range(size)
    )
    bulk_values(plan=plan, campaign=campaigns[0], code="units_sold", count=size, start=date(2026, 1, 1))


def test_plan_detail_runs_the_same_number_of_queries_for_3_and_300_of_everything():
    small, large = AnnualPlanFactory(), AnnualPlanFactory()
    fill_plan(small, 3)
    fill_plan(large, 300)

    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as queries:
            detail = plan_detail(plan_id=plan.pk, today=JUNE_15)
            [(target.label, target.attainment.status) for target in detail["targets"]]
            [(campaign.owner.name, campaign.headline) for campaign in detail["campaigns"]]
            [(line.channel.name, line.share) for line in detail["budget"]["lines"]]
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]
    assert len(detail["targets"]) == 300
    assert len(detail["campaigns"]) == 300
    assert len(detail["budget"]["lines"]) == 300


def test_plan_detail_takes_twelve_queries_after_a_write_and_eight_from_the_cache(
    django_assert_num_queries, fresh_cache
):
    plan = AnnualPlanFactory()
    fill_plan(plan, 3)

    # the plan, its lines, what its cost is computed from, its targets, its campaigns, their
    # targets, its items and its quarters; after a write, the cost, the lines' spend and both
    # lists of targets' actuals are computed again (plans.actuals).
    with django_assert_num_queries(12):
        plan_detail(plan_id=plan.pk, today=JUNE_15)
    with django_assert_num_queries(8):
        plan_detail(plan_id=plan.pk, today=JUNE_15)


def test_plan_detail_of_a_missing_plan_is_none():
    assert plan_detail(plan_id=987654) is None


def test_plan_detail_gives_each_campaign_its_goals_and_headline():
    plan = AnnualPlanFactory()
    campaign = CampaignFactory(plan=plan)
    goal = TargetFactory(campaign=campaign, target_value=Decimal("1000"))
    TargetFactory(campaign=campaign, parent=goal, target_value=Decimal("600"))
    record_value(campaign, value="700")

    detail = plan_detail(plan_id=plan.pk, today=JUNE_15)

    [summary] = detail["campaigns"]
    assert summary.headline.pk == goal.pk
    assert summary.headline.attainment.actual == Decimal("700")
    assert [child.target_value for child in summary.headline.subgoals] == [Decimal("600")]


def test_campaign_detail_runs_the_same_number_of_queries_for_3_and_300_targets_and_values():
    counts = []
    for size in (3, 300):
        campaign = CampaignFactory(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
        Target.objects.bulk_create(
            Target(
                campaign=campaign,
                metric=metric("units_sold"),
                category="performance",
                target_value=Decimal(500),
                period_start=campaign.start_date,
                period_end=campaign.end_date,
            )
            for _ in range(size)
        )
        bulk_values(plan=campaign.plan, campaign=campaign, code="marketing_cost", count=size, start=date(2026, 1, 1))
        with CaptureQueriesContext(connection) as queries:
            detail = campaign_detail(campaign_id=campaign.pk, today=JUNE_15)
            [(target.label, target.attainment.status) for target in detail["targets"]]
            [(value.metric.code, value.recorded_by) for value in detail["recent_values"]]
        counts.append(len(queries.captured_queries))
        assert detail["spend"] == Decimal(10 * size)

    assert counts[0] == counts[1] == 4


def test_campaign_detail_compares_spend_with_the_campaign_budget():
    campaign = CampaignFactory(budget=Decimal("20000"))
    record_value(campaign, code="marketing_cost", value="5000")
    record_value(campaign, code="marketing_cost", on=date(2026, 6, 2), value="3000")
    record_value(campaign, code="sales_revenue", value="90000")

    detail = campaign_detail(campaign_id=campaign.pk, today=JUNE_15)

    assert detail["spend"] == Decimal("8000")
    assert detail["spend_share"] == Decimal("40")


def test_campaign_detail_of_a_missing_campaign_is_none():
    assert campaign_detail(campaign_id=987654) is None
