"""Derived metrics: ROI, conversion rate, CAC and cost per sale are ratios of two summed
metrics, computed from their components wherever they are shown, never typed."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plans import services
from plans.models import Aggregation
from plans.selectors import attainment_of, target_list
from plans.services import MetricInput, ValueRow, metric_values_record
from tests.api import url
from tests.factories import CampaignFactory, TargetFactory, metric, record_value

pytestmark = pytest.mark.django_db


def actual_of(target):
    return target_list().get(pk=target.pk).actual


def test_roi_is_net_profit_over_cost_in_the_campaign():
    campaign = CampaignFactory()
    roi = TargetFactory(campaign=campaign, metric=metric("roi"), target_value=Decimal("5"))
    record_value(campaign, code="marketing_net_profit", value="800000", on=date(2026, 6, 1))
    record_value(campaign, code="marketing_net_profit", value="544000", on=date(2026, 6, 2))
    record_value(campaign, code="marketing_cost", value="320000", on=date(2026, 6, 2))

    target = target_list().get(pk=roi.pk)

    assert Decimal(str(target.actual)).quantize(Decimal("0.01")) == Decimal("4.20")
    assert attainment_of(target, today=date(2026, 7, 1)).percent == Decimal("84.0")


def test_a_percentage_ratio_reads_times_100():
    share = services.metric_create(
        data=MetricInput(
            code="member_share",
            name_en="Member share",
            name_zh="会员占比",
            unit="percent",
            aggregation="ratio",
            numerator=metric("new_members"),
            denominator=metric("new_customers"),
        ),
        by=None,
    )
    campaign = CampaignFactory()
    rate = TargetFactory(campaign=campaign, metric=share, target_value=Decimal("3"))
    record_value(campaign, code="new_members", value="3")
    record_value(campaign, code="new_customers", value="200")

    assert Decimal(str(actual_of(rate))).quantize(Decimal("0.01")) == Decimal("1.50")


def test_no_cost_recorded_means_no_roi_yet():
    campaign = CampaignFactory()
    roi = TargetFactory(campaign=campaign, metric=metric("roi"), target_value=Decimal("5"))
    record_value(campaign, code="marketing_net_profit", value="100")

    assert actual_of(roi) is None


def test_values_of_another_campaign_do_not_count():
    campaign, other = CampaignFactory(), CampaignFactory()
    roi = TargetFactory(campaign=campaign, metric=metric("roi"), target_value=Decimal("5"))
    record_value(campaign, code="marketing_net_profit", value="100")
    record_value(campaign, code="marketing_cost", value="100")
    record_value(other, code="marketing_cost", value="900")

    assert Decimal(str(actual_of(roi))) == Decimal(1)


@pytest.mark.parametrize("code", ["roi", "conversion_rate", "cac", "cost_per_sale"])
def test_a_typed_derived_value_is_refused(code):
    campaign = CampaignFactory()
    row = ValueRow(metric=metric(code), plan=campaign.plan, campaign=campaign, date=date(2026, 6, 1), value=Decimal(4))

    with pytest.raises(ValidationError, match="computed from"):
        metric_values_record(rows=[row])


def test_a_typed_conversion_rate_is_a_400_in_the_api(client_as):
    campaign = CampaignFactory()
    body = {"metric": "conversion_rate", "campaign": campaign.pk, "date": "2026-06-10", "value": "2.5"}

    response = client_as("admin").post(url("metric-value-list"), body, format="json")

    assert response.status_code == 400
    assert "Orders" in str(response.json())


def test_the_dictionary_defines_the_derived_metrics():
    codes = ["roi", "conversion_rate", "cac", "cost_per_sale"]
    assert {m: (metric(m).numerator.code, metric(m).denominator.code) for m in codes} == {
        "roi": ("marketing_net_profit", "marketing_cost"),
        "conversion_rate": ("orders", "visitors"),
        "cac": ("marketing_cost", "new_customers"),
        "cost_per_sale": ("marketing_cost", "units_sold"),
    }
    assert {metric(m).aggregation for m in codes} == {Aggregation.RATIO}
    assert (metric("orders").aggregation, metric("visitors").aggregation) == (Aggregation.SUM, Aggregation.SUM)


def test_conversion_rate_is_orders_over_visitors_in_percent():
    campaign = CampaignFactory()
    rate = TargetFactory(campaign=campaign, metric=metric("conversion_rate"), target_value=Decimal("3"))
    record_value(campaign, code="orders", value="40", on=date(2026, 6, 1), via="ecommerce")
    record_value(campaign, code="orders", value="50", on=date(2026, 6, 2), via="ecommerce")
    record_value(campaign, code="visitors", value="4000", on=date(2026, 6, 1), via="ecommerce")
    record_value(campaign, code="visitors", value="2000", on=date(2026, 6, 2), via="ecommerce")

    target = target_list().get(pk=rate.pk)

    # 90 orders of 6,000 visitors: 1.5%, half the target of 3%.
    assert Decimal(str(target.actual)).quantize(Decimal("0.0001")) == Decimal("1.5000")
    assert attainment_of(target, today=date(2026, 7, 1)).percent == Decimal("50.0")


def ratio_input(**fields) -> MetricInput:
    base = {"code": "x_ratio", "name_en": "X", "name_zh": "X", "unit": "ratio", "aggregation": "ratio"}
    return MetricInput(**{**base, **fields})


def test_a_ratio_needs_two_summed_components():
    with pytest.raises(ValidationError, match="numerator"):
        services.metric_create(data=ratio_input(denominator=metric("marketing_cost")), by=None)
    with pytest.raises(ValidationError, match="not summed"):
        services.metric_create(
            data=ratio_input(numerator=metric("members"), denominator=metric("marketing_cost")), by=None
        )
    made = services.metric_create(
        data=ratio_input(numerator=metric("sales_revenue"), denominator=metric("marketing_cost")), by=None
    )
    assert made.is_derived


def test_only_a_ratio_names_components():
    with pytest.raises(ValidationError, match="Only a ratio"):
        services.metric_create(
            data=ratio_input(aggregation="sum", numerator=metric("sales_revenue"), denominator=metric("units_sold")),
            by=None,
        )
