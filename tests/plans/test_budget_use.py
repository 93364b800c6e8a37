"""Budget use: each budget line's spend — the marketing cost recorded on its channel and its
sub-channels — and what remains of it (negative: overspent), on the plan page, in the API
and in the plan's XLSX export, in a fixed number of queries."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from plans.models import BudgetCategory, MetricValue
from plans.selectors import plan_detail
from plans.services import metric_values_changed
from tests.api import results, url
from tests.factories import AnnualPlanFactory, BudgetLineFactory, CampaignFactory, channel, metric

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return AnnualPlanFactory(budget=Decimal("1000000"))


def cost(plan, amount, *, channel_code=None, day=1, campaign=None, metric_code="marketing_cost"):
    """A recorded value of a cost metric (or another metric) in the plan."""
    values = {
        "metric": metric(metric_code),
        "plan": plan,
        "campaign": campaign,
        "channel": channel(channel_code) if channel_code else None,
        "date": date(2026, 6, day),
    }
    metric_values_changed(campaign_ids=[campaign.pk] if campaign else [], plan_ids=[plan.pk])  # as every writer does
    return MetricValue.objects.create(
        **values,
        value=Decimal(amount),
    )


def line_on(plan, channel_code, planned="100000", **fields):
    return BudgetLineFactory(
        plan=plan,
        category=BudgetCategory.CHANNEL,
        channel=channel(channel_code),
        planned_amount=Decimal(planned),
        **fields,
    )


def budget_of(plan) -> dict:
    return plan_detail(plan_id=plan.pk)["budget"]


# What is counted ------------------------------------------------------------------------------


def test_a_lines_spend_is_the_cost_recorded_on_its_channel_and_sub_channels(plan):
    online = line_on(plan, "online")
    campaign = CampaignFactory(plan=plan)
    cost(plan, "30000", channel_code="online")
    cost(plan, "20000", channel_code="short_video", campaign=campaign)
    cost(plan, "5000", channel_code="stores")  # offline: another line's
    cost(plan, "999", channel_code="online", metric_code="sales_revenue")  # not a cost

    line = next(line for line in budget_of(plan)["lines"] if line.pk == online.pk)

    assert (line.spent, line.remaining, line.overspent) == (Decimal("50000"), Decimal("50000"), None)


def test_a_line_spent_exactly_to_its_plan_is_not_overspent_and_one_yuan_more_is(plan):
    line_on(plan, "stores", planned="100000")
    cost(plan, "100000", channel_code="stores", day=1)

    exact = budget_of(plan)["lines"][0]
    cost(plan, "1", channel_code="stores", day=2)
    over = budget_of(plan)["lines"][0]

    assert (exact.remaining, exact.overspent) == (Decimal(0), None)
    assert (over.remaining, over.overspent) == (Decimal(-1), Decimal(1))


def test_a_line_with_nothing_recorded_has_spent_nothing(plan):
    line_on(plan, "exhibitions", planned="80000")

    line = budget_of(plan)["lines"][0]

    assert (line.spent, line.remaining) == (Decimal(0), Decimal("80000"))


def test_a_line_without_a_channel_has_no_spend_to_show(plan):
    BudgetLineFactory(plan=plan, category=BudgetCategory.PEOPLE, channel=None)
    cost(plan, "5000")

    budget = budget_of(plan)

    assert (budget["lines"][0].spent, budget["lines"][0].remaining) == (None, None)
    assert budget["unmatched_lines"] == 1


def test_the_plans_spend_is_all_its_recorded_cost_against_the_whole_budget(plan):
    line_on(plan, "online")
    cost(plan, "30000", channel_code="online")
    cost(plan, "20000")  # no channel: in the plan's spend, on no line
    cost(AnnualPlanFactory(year=2027), "70000", channel_code="online")  # another plan's

    budget = budget_of(plan)

    assert (budget["spent"], budget["remaining"]) == (Decimal("50000"), Decimal("950000"))


# The plan page ------------------------------------------------------------------------------


def test_the_plan_page_shows_each_lines_spend_and_an_overspent_line_as_such(client, manager, plan):
    line_on(plan, "online", planned="100000")
    line_on(plan, "stores", planned="50000")
    cost(plan, "40000", channel_code="ecommerce")
    cost(plan, "62000", channel_code="stores")
    client.force_login(manager)

    html = client.get(plan.get_absolute_url()).content.decode()

    assert "¥40,000" in html
    assert "¥60,000" in html  # what remains of the online line
    assert "overspent ¥12,000" in html
    assert "text-danger" in html[html.index("overspent ¥12,000") - 100 : html.index("overspent ¥12,000")]


def test_the_plan_page_reads_spend_in_wan_in_chinese(client, make_user, plan):
    line_on(plan, "online", planned="500000")
    cost(plan, "320000", channel_code="online")
    client.force_login(make_user(Role.VIEWER, language="zh-hans"))

    html = client.get(plan.get_absolute_url()).content.decode()

    assert "¥32万" in html
    assert "¥18万" in html


def _fill(plan, n: int, *, first_day: int = 1):
    """n lines on channels, n without one, and 2n costs on days from first_day."""
    for i in range(n):
        line_on(plan, ["online", "offline", "stores", "ecommerce"][i % 4])
        BudgetLineFactory(plan=plan, category=BudgetCategory.PEOPLE)
        cost(plan, "100", channel_code="short_video", day=first_day + i)
        cost(plan, "100", channel_code="stores", day=first_day + i)


def test_the_plan_page_runs_the_same_queries_for_2_and_40_budget_lines_with_costs(client, manager, plan, count_queries):
    client.force_login(manager)
    _fill(plan, 1)
    small = count_queries(lambda: client.get(plan.get_absolute_url()))
    _fill(plan, 20, first_day=2)
    large = count_queries(lambda: client.get(plan.get_absolute_url()))

    assert small == large


# The API ------------------------------------------------------------------------------------


def test_the_api_gives_each_lines_spend_and_remainder(client_as, plan):
    line_on(plan, "stores", planned="50000")
    BudgetLineFactory(plan=plan, category=BudgetCategory.PEOPLE, planned_amount=Decimal("10000"))
    cost(plan, "62000.5", channel_code="stores")

    rows = results(client_as("token").get(url("budget-line-list"), {"plan": plan.pk, "ordering": "-planned_amount"}))

    assert [(row["spent"], row["remaining"]) for row in rows] == [("62000.50", "-12000.50"), (None, None)]


def test_the_budget_line_api_runs_the_same_queries_for_2_and_40_lines(client_as, plan, count_queries):
    client = client_as(Role.VIEWER)
    _fill(plan, 1)
    small = count_queries(lambda: client.get(url("budget-line-list")))
    _fill(plan, 20, first_day=2)
    large = count_queries(lambda: client.get(url("budget-line-list")))

    assert small == large


# The export ---------------------------------------------------------------------------------


def test_the_plan_export_lists_each_lines_spend_and_remainder(client, manager, plan):
    line_on(plan, "stores", planned="50000", description="门店")
    cost(plan, "62000", channel_code="stores")
    client.force_login(manager)

    response = client.get(reverse("plans:plan_export", args=[plan.pk]))

    sheet = load_workbook(io.BytesIO(response.content))["预算 Budget"]
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert rows[0][5:] == ("已支出 Spent", "剩余 Remaining")
    assert rows[1][2:] == ("门店", 50000, 0.05, 62000, -12000)
    assert rows[-1] == ("预算总额 Budget", None, None, 1000000, 1, 62000, 938000)


def test_the_plan_says_how_much_cost_is_on_no_lines_channel(client, manager, plan):
    line_on(plan, "online")
    cost(plan, "30000", channel_code="ecommerce")  # the online line's (a sub-channel)
    cost(plan, "20000")  # no channel
    cost(plan, "7000", channel_code="stores")  # a channel no line has
    client.force_login(manager)

    budget = budget_of(plan)
    html = client.get(plan.get_absolute_url()).content.decode()

    assert budget["off_lines"] == Decimal("27000")
    assert "¥27,000 of it is recorded without a channel, or on a channel no budget line has." in html
