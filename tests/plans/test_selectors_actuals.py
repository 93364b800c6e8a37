"""A target's actual, as target_list() computes it: by the metric's aggregation (sum, last
value, average), inside the target's period, on its channel or all, and over the plan's
campaigns for a plan target."""

from datetime import date
from decimal import Decimal

import pytest

from plans.models import Target
from plans.selectors import target_list
from tests.factories import AnnualPlanFactory, CampaignFactory, TargetFactory, channel, metric, record_value

pytestmark = pytest.mark.django_db


# actuals per aggregation --------------------------------------------------------------------


def actual_of(target: Target) -> Decimal | None:
    return target_list().get(pk=target.pk).actual


def test_a_summed_metric_adds_up_its_values():
    target = TargetFactory(metric=metric("units_sold"))
    record_value(target.campaign, on=date(2026, 6, 1), value="100")
    record_value(target.campaign, on=date(2026, 6, 2), value="250")

    assert actual_of(target) == Decimal("350")


def test_a_last_value_metric_takes_the_latest_day():
    target = TargetFactory(metric=metric("market_share"), target_value=Decimal("20"))
    record_value(target.campaign, code="market_share", on=date(2026, 6, 3), value="12.5")
    record_value(target.campaign, code="market_share", on=date(2026, 6, 10), value="14")
    record_value(target.campaign, code="market_share", on=date(2026, 6, 5), value="18")

    assert actual_of(target) == Decimal("14")


def test_an_average_metric_takes_the_mean():
    target = TargetFactory(metric=metric("ctr"), target_value=Decimal("5"))
    record_value(target.campaign, code="ctr", on=date(2026, 6, 1), value="2")
    record_value(target.campaign, code="ctr", on=date(2026, 6, 2), value="3")
    record_value(target.campaign, code="ctr", on=date(2026, 6, 3), value="7")

    assert actual_of(target) == Decimal("4")


def test_a_target_without_values_has_no_actual():
    target = TargetFactory()

    assert actual_of(target) is None


def test_values_of_another_metric_do_not_count():
    target = TargetFactory(metric=metric("units_sold"))
    record_value(target.campaign, code="sales_revenue", value="99999")

    assert actual_of(target) is None


# period -------------------------------------------------------------------------------------


def test_only_values_inside_the_target_period_count():
    target = TargetFactory(period_start=date(2026, 6, 10), period_end=date(2026, 6, 20))
    record_value(target.campaign, on=date(2026, 6, 9), value="1")
    record_value(target.campaign, on=date(2026, 6, 10), value="10")
    record_value(target.campaign, on=date(2026, 6, 20), value="100")
    record_value(target.campaign, on=date(2026, 6, 21), value="1000")

    assert actual_of(target) == Decimal("110")


def test_a_last_value_outside_the_period_is_not_the_actual():
    target = TargetFactory(metric=metric("members"), period_start=date(2026, 6, 1), period_end=date(2026, 6, 10))
    record_value(target.campaign, code="members", on=date(2026, 6, 10), value="500")
    record_value(target.campaign, code="members", on=date(2026, 6, 11), value="900")

    assert actual_of(target) == Decimal("500")


# channel ------------------------------------------------------------------------------------


def test_a_channel_target_counts_only_its_channel():
    target = TargetFactory(channel=channel("online"))
    record_value(target.campaign, via="online", on=date(2026, 6, 1), value="300")
    record_value(target.campaign, via="offline", on=date(2026, 6, 1), value="200")
    record_value(target.campaign, on=date(2026, 6, 2), value="50")

    assert actual_of(target) == Decimal("300")


def test_a_target_without_a_channel_counts_every_channel():
    target = TargetFactory(channel=None)
    record_value(target.campaign, via="online", on=date(2026, 6, 1), value="300")
    record_value(target.campaign, via="offline", on=date(2026, 6, 1), value="200")
    record_value(target.campaign, on=date(2026, 6, 2), value="50")

    assert actual_of(target) == Decimal("550")


def test_an_average_without_a_channel_averages_over_every_channel():
    target = TargetFactory(metric=metric("ctr"), target_value=Decimal("5"))
    record_value(target.campaign, code="ctr", via="online", value="2")
    record_value(target.campaign, code="ctr", via="offline", value="4")

    assert actual_of(target) == Decimal("3")


def test_a_channel_target_without_values_on_its_channel_has_no_actual():
    target = TargetFactory(channel=channel("stores"))
    record_value(target.campaign, via="online", value="300")

    assert actual_of(target) is None


# scope: plan and campaign -------------------------------------------------------------------


def test_a_plan_target_counts_every_campaign_of_the_plan_and_plan_level_values():
    plan = AnnualPlanFactory(year=2026)
    target = TargetFactory(campaign=None, plan=plan)
    launch, promotion = CampaignFactory(plan=plan), CampaignFactory(plan=plan)
    record_value(launch, value="100")
    record_value(promotion, value="200")
    record_value(plan=plan, on=date(2026, 3, 1), value="40")
    record_value(CampaignFactory(), value="5000")  # another plan's campaign

    assert actual_of(target) == Decimal("340")


def test_a_campaign_target_ignores_other_campaigns_and_plan_level_values():
    plan = AnnualPlanFactory()
    target = TargetFactory(campaign=CampaignFactory(plan=plan))
    record_value(target.campaign, value="100")
    record_value(CampaignFactory(plan=plan), value="200")
    record_value(plan=plan, value="40")

    assert actual_of(target) == Decimal("100")


def test_a_plan_channel_target_counts_that_channel_across_campaigns():
    plan = AnnualPlanFactory()
    target = TargetFactory(campaign=None, plan=plan, channel=channel("ecommerce"))
    launch, promotion = CampaignFactory(plan=plan), CampaignFactory(plan=plan)
    record_value(launch, via="ecommerce", value="100")
    record_value(promotion, via="ecommerce", value="200")
    record_value(promotion, via="stores", value="999")

    assert actual_of(target) == Decimal("300")
