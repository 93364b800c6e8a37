from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.attainment import Status
from plans.models import BudgetLine, Campaign, CampaignType, MetricValue, PlanItem, Target, metric_value_key
from plans.selectors import (
    budget_lines_with_shares,
    campaign_detail,
    goal_tree,
    plan_detail,
    target_list,
    with_attainment,
)
from tests.factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CampaignFactory,
    MetricValueFactory,
    TargetFactory,
    UserFactory,
    channel,
    metric,
)

pytestmark = pytest.mark.django_db

JUNE_15 = date(2026, 6, 15)


def actual_of(target: Target) -> Decimal | None:
    return target_list().get(pk=target.pk).actual


def record(target_or_campaign=None, *, plan=None, code="units_sold", on=date(2026, 6, 1), value="100", via=None):
    """One metric value of a campaign (or, with plan=…, of the plan itself)."""
    campaign = target_or_campaign
    return MetricValueFactory(
        campaign=campaign,
        plan=plan or campaign.plan,
        metric=metric(code),
        channel=channel(via) if via else None,
        date=on,
        value=Decimal(value),
    )


def bulk_values(*, plan, campaign, code, count, start=date(2026, 6, 1)):
    """`count` daily values (one a day from `start`), written in one statement."""
    measured = metric(code)
    rows = []
    for day in range(count):
        when = start + timedelta(days=day)
        rows.append(
            MetricValue(
                metric=measured,
                plan=plan,
                campaign=campaign,
                date=when,
                value=Decimal(10),
                natural_key=metric_value_key(
                    metric_id=measured.pk, plan_id=plan.pk, campaign_id=campaign.pk, channel_id=None, date=when
                ),
            )
        )
    MetricValue.objects.bulk_create(rows)


# actuals per aggregation --------------------------------------------------------------------


def test_a_summed_metric_adds_up_its_values():
    target = TargetFactory(metric=metric("units_sold"))
    record(target.campaign, on=date(2026, 6, 1), value="100")
    record(target.campaign, on=date(2026, 6, 2), value="250")

    assert actual_of(target) == Decimal("350")


def test_a_last_value_metric_takes_the_latest_day():
    target = TargetFactory(metric=metric("market_share"), target_value=Decimal("20"))
    record(target.campaign, code="market_share", on=date(2026, 6, 3), value="12.5")
    record(target.campaign, code="market_share", on=date(2026, 6, 10), value="14")
    record(target.campaign, code="market_share", on=date(2026, 6, 5), value="18")

    assert actual_of(target) == Decimal("14")


def test_an_average_metric_takes_the_mean():
    target = TargetFactory(metric=metric("conversion_rate"), target_value=Decimal("5"))
    record(target.campaign, code="conversion_rate", on=date(2026, 6, 1), value="2")
    record(target.campaign, code="conversion_rate", on=date(2026, 6, 2), value="3")
    record(target.campaign, code="conversion_rate", on=date(2026, 6, 3), value="7")

    assert actual_of(target) == Decimal("4")


def test_a_target_without_values_has_no_actual():
    target = TargetFactory()

    assert actual_of(target) is None


def test_values_of_another_metric_do_not_count():
    target = TargetFactory(metric=metric("units_sold"))
    record(target.campaign, code="sales_revenue", value="99999")

    assert actual_of(target) is None


# period -------------------------------------------------------------------------------------


def test_only_values_inside_the_target_period_count():
    target = TargetFactory(period_start=date(2026, 6, 10), period_end=date(2026, 6, 20))
    record(target.campaign, on=date(2026, 6, 9), value="1")
    record(target.campaign, on=date(2026, 6, 10), value="10")
    record(target.campaign, on=date(2026, 6, 20), value="100")
    record(target.campaign, on=date(2026, 6, 21), value="1000")

    assert actual_of(target) == Decimal("110")


def test_a_last_value_outside_the_period_is_not_the_actual():
    target = TargetFactory(metric=metric("members"), period_start=date(2026, 6, 1), period_end=date(2026, 6, 10))
    record(target.campaign, code="members", on=date(2026, 6, 10), value="500")
    record(target.campaign, code="members", on=date(2026, 6, 11), value="900")

    assert actual_of(target) == Decimal("500")


# channel ------------------------------------------------------------------------------------


def test_a_channel_target_counts_only_its_channel():
    target = TargetFactory(channel=channel("online"))
    record(target.campaign, via="online", on=date(2026, 6, 1), value="300")
    record(target.campaign, via="offline", on=date(2026, 6, 1), value="200")
    record(target.campaign, on=date(2026, 6, 2), value="50")

    assert actual_of(target) == Decimal("300")


def test_a_target_without_a_channel_counts_every_channel():
    target = TargetFactory(channel=None)
    record(target.campaign, via="online", on=date(2026, 6, 1), value="300")
    record(target.campaign, via="offline", on=date(2026, 6, 1), value="200")
    record(target.campaign, on=date(2026, 6, 2), value="50")

    assert actual_of(target) == Decimal("550")


def test_an_average_without_a_channel_averages_over_every_channel():
    target = TargetFactory(metric=metric("conversion_rate"), target_value=Decimal("5"))
    record(target.campaign, code="conversion_rate", via="online", value="2")
    record(target.campaign, code="conversion_rate", via="offline", value="4")

    assert actual_of(target) == Decimal("3")


def test_a_channel_target_without_values_on_its_channel_has_no_actual():
    target = TargetFactory(channel=channel("stores"))
    record(target.campaign, via="online", value="300")

    assert actual_of(target) is None


# scope: plan and campaign -------------------------------------------------------------------


def test_a_plan_target_counts_every_campaign_of_the_plan_and_plan_level_values():
    plan = AnnualPlanFactory(year=2026)
    target = TargetFactory(campaign=None, plan=plan)
    launch, promotion = CampaignFactory(plan=plan), CampaignFactory(plan=plan)
    record(launch, value="100")
    record(promotion, value="200")
    record(plan=plan, on=date(2026, 3, 1), value="40")
    record(CampaignFactory(), value="5000")  # another plan's campaign

    assert actual_of(target) == Decimal("340")


def test_a_campaign_target_ignores_other_campaigns_and_plan_level_values():
    plan = AnnualPlanFactory()
    target = TargetFactory(campaign=CampaignFactory(plan=plan))
    record(target.campaign, value="100")
    record(CampaignFactory(plan=plan), value="200")
    record(plan=plan, value="40")

    assert actual_of(target) == Decimal("100")


def test_a_plan_channel_target_counts_that_channel_across_campaigns():
    plan = AnnualPlanFactory()
    target = TargetFactory(campaign=None, plan=plan, channel=channel("ecommerce"))
    launch, promotion = CampaignFactory(plan=plan), CampaignFactory(plan=plan)
    record(launch, via="ecommerce", value="100")
    record(promotion, via="ecommerce", value="200")
    record(promotion, via="stores", value="999")

    assert actual_of(target) == Decimal("300")


# attainment through the selectors -----------------------------------------------------------


def test_with_attainment_evaluates_each_target_on_the_given_day():
    target = TargetFactory(target_value=Decimal("3000"))
    record(target.campaign, value="1200")

    [evaluated] = with_attainment(target_list().filter(pk=target.pk), today=JUNE_15)

    assert evaluated.attainment.actual == Decimal("1200")
    assert evaluated.attainment.rate == Decimal("0.4")
    assert evaluated.attainment.status == Status.AT_RISK  # 1200 of an expected 1500 is 80%


def test_with_attainment_of_a_lower_is_better_cost_over_budget_is_off_track():
    target = TargetFactory(metric=metric("marketing_cost"), target_value=Decimal("100000"))
    record(target.campaign, code="marketing_cost", value="107000")

    [evaluated] = with_attainment(target_list().filter(pk=target.pk), today=date(2026, 7, 5))

    assert evaluated.attainment.status == Status.OFF_TRACK


def test_with_attainment_without_values_is_no_data():
    target = TargetFactory()

    [evaluated] = with_attainment(target_list().filter(pk=target.pk), today=JUNE_15)

    assert evaluated.attainment.status == Status.NO_DATA


@pytest.mark.parametrize("count", [3, 300])
def test_attainment_of_every_target_of_a_plan_takes_one_query(count, django_assert_num_queries):
    plan = AnnualPlanFactory()
    campaign = CampaignFactory(plan=plan)
    bulk_values(plan=plan, campaign=campaign, code="units_sold", count=30)
    units = metric("units_sold")
    Target.objects.bulk_create(
        Target(
            plan=plan,
            metric=units,
            category="performance",
            target_value=Decimal(1000 + n),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        for n in range(count)
    )

    with django_assert_num_queries(1):
        targets = with_attainment(target_list().filter(plan=plan), today=JUNE_15)
        labels = [target.label for target in targets]

    assert len(labels) == count
    assert {target.attainment.actual for target in targets} == {Decimal(300)}


# goal tree ----------------------------------------------------------------------------------


def test_goal_tree_puts_sub_goals_under_their_goal_with_total_and_gap():
    goal = TargetFactory(target_value=Decimal("50000"))
    online = TargetFactory(campaign=goal.campaign, parent=goal, target_value=Decimal("30000"))
    offline = TargetFactory(campaign=goal.campaign, parent=goal, target_value=Decimal("15000"))
    other = TargetFactory(campaign=goal.campaign, metric=metric("exposure"), target_value=Decimal("1000000"))

    tree = goal_tree(list(target_list().filter(campaign=goal.campaign)))

    assert [node.pk for node in tree] == [goal.pk, other.pk]
    assert [child.pk for child in tree[0].subgoals] == [online.pk, offline.pk]
    assert tree[0].subgoal_total == Decimal("45000")
    assert tree[0].subgoal_gap == Decimal("5000")


def test_goal_tree_gives_no_gap_to_a_goal_without_sub_goals():
    goal = TargetFactory()

    [node] = goal_tree(list(target_list().filter(pk=goal.pk)))

    assert node.subgoals == []
    assert node.subgoal_total == 0
    assert node.subgoal_gap is None


# budget shares ------------------------------------------------------------------------------


def test_budget_shares_are_of_the_plan_budget_when_it_is_set():
    plan = AnnualPlanFactory(budget=Decimal("1000000"))
    channels = BudgetLineFactory(plan=plan, category="channel", planned_amount=Decimal("400000"))
    promotion = BudgetLineFactory(plan=plan, category="promotion", planned_amount=Decimal("100000"))
    more_channels = BudgetLineFactory(plan=plan, category="channel", planned_amount=Decimal("100000"))

    budget = budget_lines_with_shares(plan, [channels, promotion, more_channels])

    assert budget["total"] == Decimal("1000000")
    assert budget["allocated"] == Decimal("600000")
    assert budget["unallocated"] == Decimal("400000")
    assert [line.share for line in budget["lines"]] == [Decimal(40), Decimal(10), Decimal(10)]
    assert {row["category"]: row["share"] for row in budget["categories"]} == {
        "channel": Decimal(50),
        "promotion": Decimal(10),
    }


def test_budget_shares_are_of_the_sum_of_lines_when_the_plan_has_no_budget():
    plan = AnnualPlanFactory(budget=None)
    lines = [
        BudgetLineFactory(plan=plan, category="channel", planned_amount=Decimal("300000")),
        BudgetLineFactory(plan=plan, category="people", planned_amount=Decimal("100000")),
    ]

    budget = budget_lines_with_shares(plan, lines)

    assert budget["total"] == Decimal("400000")
    assert budget["unallocated"] is None
    assert [line.share for line in budget["lines"]] == [Decimal(75), Decimal(25)]


def test_budget_shares_without_any_budget_are_empty_not_a_division_by_zero():
    plan = AnnualPlanFactory(budget=None)

    budget = budget_lines_with_shares(plan, [])

    assert budget["total"] == 0
    assert budget["categories"] == []


# detail pages: everything in a fixed number of queries --------------------------------------


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


def test_plan_detail_takes_seven_queries(django_assert_num_queries):
    plan = AnnualPlanFactory()
    fill_plan(plan, 3)

    with django_assert_num_queries(7):
        plan_detail(plan_id=plan.pk, today=JUNE_15)


def test_plan_detail_of_a_missing_plan_is_none():
    assert plan_detail(plan_id=987654) is None


def test_plan_detail_gives_each_campaign_its_goals_and_headline():
    plan = AnnualPlanFactory()
    campaign = CampaignFactory(plan=plan)
    goal = TargetFactory(campaign=campaign, target_value=Decimal("1000"))
    TargetFactory(campaign=campaign, parent=goal, target_value=Decimal("600"))
    record(campaign, value="700")

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
    record(campaign, code="marketing_cost", value="5000")
    record(campaign, code="marketing_cost", on=date(2026, 6, 2), value="3000")
    record(campaign, code="sales_revenue", value="90000")

    detail = campaign_detail(campaign_id=campaign.pk, today=JUNE_15)

    assert detail["spend"] == Decimal("8000")
    assert detail["spend_share"] == Decimal("40")


def test_campaign_detail_of_a_missing_campaign_is_none():
    assert campaign_detail(campaign_id=987654) is None
