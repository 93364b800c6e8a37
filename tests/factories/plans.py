from datetime import date, timedelta
from decimal import Decimal

import factory

from plans.models import (
    AnnualPlan,
    BudgetLine,
    Campaign,
    CampaignType,
    Channel,
    Metric,
    MetricValue,
    Target,
    TargetCategory,
)
from plans.services import TargetInput, metric_values_changed

from .accounts import UserFactory


def metric(code: str) -> Metric:
    """A metric of the seeded dictionary (see plans/migrations/0002_reference_data.py)."""
    return Metric.objects.get(code=code)


def channel(code: str) -> Channel:
    return Channel.objects.get(code=code)


def goal_input(value="50000", code="units_sold", **fields) -> TargetInput:
    """What plans.services.target_save takes for a performance target of `value` in that metric."""
    return TargetInput(metric=metric(code), category="performance", target_value=Decimal(value), **fields)


class AnnualPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    year = 2026
    title = factory.Sequence(lambda n: f"Plan {n}")
    owner = factory.SubFactory(UserFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    plan = factory.SubFactory(AnnualPlanFactory)
    name = factory.Sequence(lambda n: f"Campaign {n}")
    type = CampaignType.NEW_PRODUCT_LAUNCH
    owner = factory.SubFactory(UserFactory)
    start_date = date(2026, 6, 1)
    end_date = date(2026, 6, 30)
    budget = Decimal("300000")


class TargetFactory(factory.django.DjangoModelFactory):
    """A campaign goal by default; pass plan=… and campaign=None for a plan target."""

    class Meta:
        model = Target

    campaign = factory.SubFactory(CampaignFactory)
    plan = None
    metric = factory.LazyFunction(lambda: metric("units_sold"))
    category = TargetCategory.PERFORMANCE
    target_value = Decimal("50000")
    period_start = factory.LazyAttribute(lambda t: t.campaign.start_date if t.campaign else date(t.plan.year, 1, 1))
    period_end = factory.LazyAttribute(lambda t: t.campaign.end_date if t.campaign else date(t.plan.year, 12, 31))


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    plan = factory.SubFactory(AnnualPlanFactory)
    category = "channel"
    planned_amount = Decimal("100000")


class MetricValueFactory(factory.django.DjangoModelFactory):
    """A value written straight to the table: like every writer of values, it renews the values
    version of its campaign and plan (services.metric_values_changed)."""

    class Meta:
        model = MetricValue

    campaign = factory.SubFactory(CampaignFactory)
    plan = factory.LazyAttribute(lambda v: v.campaign.plan if v.campaign else None)
    metric = factory.LazyFunction(lambda: metric("units_sold"))
    channel = None
    date = date(2026, 6, 1)
    value = Decimal("100")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        value = super()._create(model_class, *args, **kwargs)
        metric_values_changed(campaign_ids=[value.campaign_id] if value.campaign_id else [], plan_ids=[value.plan_id])
        return value


# Half way through the factories' campaigns (June 2026): the day the selectors are asked about.
JUNE_15 = date(2026, 6, 15)


def record_value(target_or_campaign=None, *, plan=None, code="units_sold", on=date(2026, 6, 1), value="100", via=None):
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
            )
        )
    MetricValue.objects.bulk_create(rows)
    metric_values_changed(campaign_ids=[campaign.pk], plan_ids=[plan.pk])
