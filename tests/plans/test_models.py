from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from plans.models import (
    METRIC_VALUE_KEY,
    AnnualPlan,
    Metric,
    MetricValue,
    PlanItem,
    PlanStatus,
    Target,
    Unit,
    metric_value_key,
)
from tests.factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CampaignFactory,
    MetricValueFactory,
    TargetFactory,
    channel,
    metric,
)

pytestmark = pytest.mark.django_db


def unsaved_metric(unit: str, *, allow_negative: bool = False) -> Metric:
    return Metric(
        code="m", name_en="Thing", name_zh="东西", unit=unit, aggregation="sum", allow_negative=allow_negative
    )


# Metric.value_problem -----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "12", "1000000"])
def test_a_whole_count_is_possible(value):
    assert unsaved_metric(Unit.COUNT).value_problem(Decimal(value)) is None


def test_a_fractional_count_is_refused():
    assert "whole number" in unsaved_metric(Unit.COUNT).value_problem(Decimal("2.5"))


def test_a_negative_count_is_refused():
    assert "cannot be negative" in unsaved_metric(Unit.COUNT).value_problem(Decimal("-1"))


@pytest.mark.parametrize("value", ["0", "37.5", "100"])
def test_a_percentage_up_to_a_hundred_is_possible(value):
    assert unsaved_metric(Unit.PERCENT).value_problem(Decimal(value)) is None


def test_a_percentage_over_a_hundred_is_refused():
    assert "cannot be over 100" in unsaved_metric(Unit.PERCENT).value_problem(Decimal("100.1"))


def test_a_negative_percentage_is_refused():
    assert "cannot be negative" in unsaved_metric(Unit.PERCENT).value_problem(Decimal("-0.5"))


def test_an_amount_of_money_may_have_cents_but_not_be_negative():
    cny = unsaved_metric(Unit.CURRENCY)

    assert cny.value_problem(Decimal("1234.56")) is None
    assert "cannot be negative" in cny.value_problem(Decimal("-0.01"))


def test_a_ratio_may_be_over_a_hundred():
    assert unsaved_metric(Unit.RATIO).value_problem(Decimal("500")) is None


def test_hours_may_be_fractional_but_not_negative():
    hours = unsaved_metric(Unit.HOURS)

    assert hours.value_problem(Decimal("1.5")) is None
    assert "cannot be negative" in hours.value_problem(Decimal("-1"))


def test_a_metric_that_allows_negatives_accepts_a_loss():
    assert metric("profit").value_problem(Decimal("-25000")) is None


def test_the_problem_names_the_metric():
    assert "Units sold" in metric("units_sold").value_problem(Decimal("-1"))


# names --------------------------------------------------------------------------------------


def test_reference_data_shows_its_name_in_the_active_language():
    from django.utils import translation

    units = metric("units_sold")

    with translation.override("zh-hans"):
        assert units.name == "销量"
    with translation.override("en"):
        assert units.name == "Units sold"


def test_a_channel_target_without_a_name_is_labelled_with_metric_and_channel():
    target = TargetFactory(channel=channel("online"))

    assert target.label == "Units sold · Online"


def test_a_named_target_is_labelled_with_its_name():
    assert TargetFactory(name="Launch volume", channel=channel("online")).label == "Launch volume"


# database constraints, bypassing services ---------------------------------------------------


def test_a_target_of_neither_plan_nor_campaign_is_refused_by_the_database():
    with transaction.atomic(), pytest.raises(IntegrityError):
        TargetFactory(campaign=None, plan=None, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))


def test_a_target_of_both_a_plan_and_a_campaign_is_refused_by_the_database():
    campaign = CampaignFactory()

    with transaction.atomic(), pytest.raises(IntegrityError):
        TargetFactory(campaign=campaign, plan=campaign.plan)


def test_a_target_whose_period_ends_before_it_starts_is_refused_by_the_database():
    with transaction.atomic(), pytest.raises(IntegrityError):
        TargetFactory(period_start=date(2026, 6, 30), period_end=date(2026, 6, 1))


def test_a_plan_item_whose_category_does_not_fit_its_section_is_refused_by_the_database():
    plan = AnnualPlanFactory()

    with transaction.atomic(), pytest.raises(IntegrityError):
        PlanItem.objects.create(plan=plan, section="strategy", category="competition", title="Price war")


def test_a_plan_item_whose_category_fits_its_section_is_stored():
    plan = AnnualPlanFactory()

    PlanItem.objects.create(plan=plan, section="challenge", category="competition", title="Price war")

    assert plan.items.count() == 1


def test_two_active_plans_for_one_year_are_refused_by_the_database():
    AnnualPlanFactory(year=2026, status=PlanStatus.ACTIVE)

    with transaction.atomic(), pytest.raises(IntegrityError):
        AnnualPlanFactory(year=2026, status=PlanStatus.ACTIVE)


def test_active_plans_of_different_years_and_drafts_of_the_same_year_coexist():
    AnnualPlanFactory(year=2026, status=PlanStatus.ACTIVE)
    AnnualPlanFactory(year=2027, status=PlanStatus.ACTIVE)
    AnnualPlanFactory(year=2026, status=PlanStatus.DRAFT)

    assert AnnualPlan.objects.active().count() == 2


def test_a_campaign_ending_before_it_starts_is_refused_by_the_database():
    with transaction.atomic(), pytest.raises(IntegrityError):
        CampaignFactory(start_date=date(2026, 6, 30), end_date=date(2026, 6, 1))


def test_a_negative_budget_line_is_refused_by_the_database():
    with transaction.atomic(), pytest.raises(IntegrityError):
        BudgetLineFactory(planned_amount=Decimal("-1"))


# The rule "one value per metric, campaign (or plan), channel and day" is the database's,
# whatever writes the row (bulk_create skips every Python check): each combination of a NULL
# campaign and a NULL channel, refused on the same key and accepted one field apart.
@pytest.mark.parametrize("with_campaign", [True, False], ids=["campaign", "plan-level"])
@pytest.mark.parametrize("with_channel", [True, False], ids=["channel", "no-channel"])
def test_a_second_metric_value_for_the_same_key_is_refused_by_the_database(with_campaign, with_channel):
    plan = AnnualPlanFactory()
    campaign = CampaignFactory(plan=plan) if with_campaign else None
    via = channel("online") if with_channel else None
    value = MetricValueFactory(campaign=campaign, plan=plan, channel=via)
    twin = MetricValue(metric=value.metric, plan=plan, campaign=campaign, channel=via, date=value.date, value=1)

    with transaction.atomic(), pytest.raises(IntegrityError):
        MetricValue.objects.bulk_create([twin])

    # One field apart, each is a value of its own.
    others = [
        MetricValue(
            metric=value.metric, plan=plan, campaign=campaign, channel=via, date=value.date - timedelta(days=1), value=1
        ),
        MetricValue(
            metric=metric("sales_revenue"), plan=plan, campaign=campaign, channel=via, date=value.date, value=1
        ),
        MetricValue(
            metric=value.metric,
            plan=plan,
            campaign=campaign,
            channel=None if via else channel("online"),
            date=value.date,
            value=1,
        ),
        MetricValue(
            metric=value.metric,
            plan=plan,
            campaign=None if campaign else CampaignFactory(plan=plan),
            channel=via,
            date=value.date,
            value=1,
        ),
    ]
    MetricValue.objects.bulk_create(others)
    assert MetricValue.objects.filter(plan=plan).count() == 5


def test_values_of_different_channels_on_the_same_day_coexist():
    value = MetricValueFactory(channel=channel("online"))
    MetricValueFactory(campaign=value.campaign, channel=channel("offline"))
    MetricValueFactory(campaign=value.campaign, channel=None)

    assert MetricValue.objects.filter(campaign=value.campaign).count() == 3


def test_metric_value_key_is_read_back_by_values_list_of_the_key_fields():
    value = MetricValueFactory(channel=None)

    assert list(MetricValue.objects.values_list(*METRIC_VALUE_KEY)) == [
        metric_value_key(
            metric_id=value.metric_id,
            plan_id=value.plan_id,
            campaign_id=value.campaign_id,
            channel_id=None,
            date=value.date,
        )
    ]


def test_a_target_lists_its_quarters_in_order():
    target = TargetFactory(q1=Decimal(1), q3=Decimal(3))

    assert target.quarters == [Decimal(1), None, Decimal(3), None]
    assert target.has_quarterly_split
    assert not Target(q1=None).has_quarterly_split
