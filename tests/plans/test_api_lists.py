"""The plans API's lists: none answers without a login, every role and a BI token read each,
and each runs the same number of queries for 3 and 300 rows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from accounts.models import Role
from plans.models import AnnualPlan, BudgetLine, Campaign, MetricValue, PlanItem, QuarterFocus, Target
from tests.api import results, url
from tests.factories import (
    ROLES,
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

LISTS = [
    "channel-list",
    "metric-list",
    "plan-list",
    "plan-item-list",
    "quarter-focus-list",
    "target-list",
    "budget-line-list",
    "campaign-list",
    "metric-value-list",
]


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_requests_get_401(api_client, name):
    response = api_client.get(url(name))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("who", [*ROLES, "token"])
def test_every_role_and_a_bi_token_read_every_list(client_as, who):
    campaign = CampaignFactory()
    TargetFactory(campaign=campaign)
    BudgetLineFactory(plan=campaign.plan)
    MetricValueFactory(campaign=campaign)
    PlanItem.objects.create(plan=campaign.plan, section="strategy", category="price", title="Hold prices")
    QuarterFocus.objects.create(plan=campaign.plan, quarter=1, theme="Launch")
    client = client_as(who)

    counts = {name: len(results(client.get(url(name)))) for name in LISTS}

    assert all(counts.values()), counts


# Query counts -----------------------------------------------------------------------------


def _owners():
    return [UserFactory(username=f"owner{n}") for n in range(3)]


def add_plans(count):
    owners = _owners()
    AnnualPlan.objects.bulk_create(AnnualPlan(year=2026, title=f"Plan {n}", owner=owners[n % 3]) for n in range(count))
    CampaignFactory(plan=AnnualPlan.objects.first())


def add_plan_items(count):
    plan = AnnualPlanFactory()
    PlanItem.objects.bulk_create(
        PlanItem(plan=plan, section="strategy", category="promotion", title=f"Item {n}") for n in range(count)
    )


def add_quarter_focus(count):
    plans = AnnualPlan.objects.bulk_create(
        AnnualPlan(year=2026, title=f"Plan {n}", owner=_owners()[0]) for n in range((count + 3) // 4)
    )
    QuarterFocus.objects.bulk_create(
        QuarterFocus(plan=plans[n // 4], quarter=n % 4 + 1, theme=f"Theme {n}") for n in range(count)
    )


def add_targets(count):
    campaign = CampaignFactory()
    goal = TargetFactory(campaign=campaign, target_value=Decimal("1000000"))
    MetricValueFactory(campaign=campaign, value=Decimal("10"))
    MetricValueFactory(campaign=campaign, channel=channel("online"), value=Decimal("5"))
    kinds = [
        {"campaign": campaign, "parent": goal, "channel": channel("online")},
        {"plan": campaign.plan, "metric": metric("conversion_rate")},
        {"campaign": campaign, "metric": metric("marketing_cost")},
    ]
    Target.objects.bulk_create(
        Target(
            **{"metric": metric("units_sold"), **kinds[n % 3]},
            category="performance",
            target_value=Decimal("100"),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        for n in range(count - 1)
    )


def add_budget_lines(count):
    plans = [AnnualPlanFactory(budget=Decimal("1000")), AnnualPlanFactory(budget=None)]
    BudgetLine.objects.bulk_create(
        BudgetLine(plan=plans[n % 2], category="channel", channel=channel("online"), planned_amount=Decimal("10"))
        for n in range(count)
    )


def add_campaigns(count):
    owners = _owners()
    plan = AnnualPlanFactory()
    Campaign.objects.bulk_create(
        Campaign(
            plan=plan,
            name=f"Campaign {n}",
            type="launch",
            owner=owners[n % 3],
            start_date=date(2026, 1, 1),
            end_date=date(2026, 1, 31),
        )
        for n in range(count)
    )


def add_metric_values(count):
    campaign = CampaignFactory()
    recorder = UserFactory()
    first = date(2020, 1, 1)
    rows = []
    for n in range(count):
        day = first + timedelta(days=n)
        rows.append(
            MetricValue(
                metric=metric("units_sold"),
                plan=campaign.plan,
                campaign=campaign,
                date=day,
                value=Decimal(n),
                recorded_by=recorder,
            )
        )
    MetricValue.objects.bulk_create(rows)


@pytest.mark.parametrize(
    ("name", "add_rows"),
    [
        ("plan-list", add_plans),
        ("plan-item-list", add_plan_items),
        ("quarter-focus-list", add_quarter_focus),
        ("target-list", add_targets),
        ("budget-line-list", add_budget_lines),
        ("campaign-list", add_campaigns),
        ("metric-value-list", add_metric_values),
    ],
)
def test_a_list_runs_the_same_number_of_queries_for_3_and_300_rows(client_as, count_queries, name, add_rows):
    client = client_as(Role.VIEWER)

    def get_list():
        return client.get(url(name), {"page_size": 1000})

    add_rows(3)
    small = count_queries(get_list)
    add_rows(297)
    response = get_list()
    large = count_queries(get_list)

    assert response.json()["count"] >= 300
    assert small == large
