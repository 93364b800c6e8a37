"""The targets' actuals, the plan's recorded cost and the channel ranking that pages keep in the
cache (plans.actuals) are exactly what the database computes now: after a value is recorded,
recorded again, deleted, imported or pushed through the API, after a target or budget line is
redefined, after a rolled-back write, and with the cache down; and a second load reads them
from the cache instead of summing the values again."""

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.admin.sites import site
from django.db import connection, transaction
from django.db.models import OuterRef, Q
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from plans import selectors
from plans.admin import CampaignAdmin, MetricValueAdmin
from plans.models import AnnualPlan, Campaign, MetricValue, Target
from plans.ranking import recent_ranking
from plans.services import ValueRow, metric_values_record
from tests.api import url
from tests.factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CampaignFactory,
    TargetFactory,
    channel,
    metric,
)
from tests.plans.imports.uploads import csv_upload, run_import

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 10)


@pytest.fixture
def plan(fresh_cache):
    """A plan with a campaign: a goal and an online sub-goal, a plan target split by quarter,
    a budget line on the online channel, and some values."""
    plan = AnnualPlanFactory(year=2026)
    campaign = CampaignFactory(plan=plan)
    goal = TargetFactory(campaign=campaign, metric=metric("units_sold"))
    TargetFactory(campaign=campaign, parent=goal, channel=channel("online"), target_value=Decimal(20000))
    TargetFactory(
        campaign=None, plan=plan, metric=metric("units_sold"), q1=Decimal(10), q2=Decimal(40), q3=None, q4=None
    )
    BudgetLineFactory(plan=plan, channel=channel("online"))
    record(plan, campaign, value="100", via="online")
    record(plan, campaign, value="7", code="marketing_cost", via="online")
    return plan


def record(plan, campaign, *, value, on=DAY, via=None, code="units_sold"):
    metric_values_record(
        rows=[
            ValueRow(
                metric=metric(code),
                date=on,
                value=Decimal(value),
                plan=plan,
                campaign=campaign,
                channel=channel(via) if via else None,
            )
        ]
    )


def targets_of(plan):
    return Target.objects.filter(Q(plan=plan) | Q(campaign__plan=plan)).order_by("pk")


def cached_figures(plan):
    """What the pages show, read through the cache."""
    targets = selectors.with_cached_actuals(selectors.target_rows().filter(pk__in=targets_of(plan)), quarterly=True)
    fresh_plan = AnnualPlan.objects.get(pk=plan.pk)
    lines = selectors.with_cached_spend(fresh_plan, list(fresh_plan.budget_lines.all()))
    return {
        "actuals": {t.pk: t.actual for t in targets},
        "quarters": {t.pk: [getattr(t, f"q{q}_actual", None) for q in range(1, 5)] for t in targets},
        "cost": (fresh_plan.recorded_cost, fresh_plan.cost_on_no_line),
        "spent": {line.pk: line.spent for line in lines},
        "ranking": ranking_rows(fresh_plan),
    }


def computed_figures(plan):
    """The same figures computed by the database now, without the cache."""
    targets = selectors.annotate_quarterly_actuals(selectors.target_list().filter(pk__in=targets_of(plan)))
    costs = (
        AnnualPlan.objects.filter(pk=plan.pk)
        .annotate(
            recorded=selectors.recorded_cost(plan=OuterRef("pk")), off=selectors.cost_on_no_line(plan=OuterRef("pk"))
        )
        .values_list("recorded", "off")
        .get()
    )
    with mock.patch("plans.actuals._read", return_value=None):
        ranking = ranking_rows(AnnualPlan.objects.get(pk=plan.pk))
    return {
        "actuals": {t.pk: t.actual for t in targets},
        "quarters": {
            t.pk: [getattr(t, f"q{q}_actual") if t.has_quarterly_split else None for q in range(1, 5)] for t in targets
        },
        "cost": (costs[0] or Decimal(0), costs[1]),
        "spent": dict(selectors.with_spend(plan.budget_lines.all()).values_list("pk", "spent")),
        "ranking": ranking,
    }


def ranking_rows(plan):
    ranking = recent_ranking(plan=plan, today=DAY + timedelta(days=1))
    return [(r.code, r.name_en, r.output, r.cost, r.efficiency, r.rank) for r in ranking.rows]


def test_the_cached_figures_are_the_computed_ones(plan):
    cached_figures(plan)  # fills the cache

    assert cached_figures(plan) == computed_figures(plan)
    assert cached_figures(plan)["actuals"] != {}


def write_new(plan):
    record(plan, plan.campaigns.get(), value="50", on=DAY + timedelta(days=1), via="online")


def write_again(plan):
    record(plan, plan.campaigns.get(), value="180", via="online")


def write_cost(plan):
    record(plan, plan.campaigns.get(), value="900", code="marketing_cost", via="online")


def write_on_the_plan(plan):
    record(plan, None, value="3000", via="offline")


def delete_in_admin(plan):
    value = MetricValue.objects.get(metric=metric("units_sold"))
    MetricValueAdmin(MetricValue, site).delete_model(RequestFactory().post("/"), value)


def delete_several_in_admin(plan):
    MetricValueAdmin(MetricValue, site).delete_queryset(RequestFactory().post("/"), MetricValue.objects.all())


def edit_in_admin(plan):
    value = MetricValue.objects.get(metric=metric("units_sold"))
    value.value = Decimal("999")
    MetricValueAdmin(MetricValue, site).save_model(RequestFactory().post("/"), value, None, change=True)


def import_a_file(plan):
    campaign = plan.campaigns.get()
    result = run_import(csv_upload(f"date,metric,channel,value\n{DAY},units_sold,online,444\n"), campaign, None)
    assert not result.errors


def push_through_the_api(plan, client, manager):
    client.force_login(manager)
    body = {"metric": "units_sold", "campaign": plan.campaigns.get().pk, "date": str(DAY), "value": "321"}
    response = client.post(url("metric-value-list"), body, content_type="application/json")
    assert response.status_code in (200, 201), response.content


def delete_the_campaign_in_admin(plan):
    CampaignAdmin(Campaign, site).delete_model(RequestFactory().post("/"), plan.campaigns.get())


@pytest.mark.parametrize(
    "write",
    [
        write_new,
        write_again,
        write_cost,
        write_on_the_plan,
        delete_in_admin,
        delete_several_in_admin,
        edit_in_admin,
        import_a_file,
        push_through_the_api,
        delete_the_campaign_in_admin,
    ],
)
def test_after_a_write_the_pages_show_the_new_figures(plan, write, client, manager):
    before = cached_figures(plan)

    if write is push_through_the_api:
        write(plan, client, manager)
    else:
        write(plan)

    after = cached_figures(plan)
    assert after == computed_figures(plan)
    assert after != before  # the write changed a figure: the comparison above proves something


def test_a_redefined_target_gets_its_new_actual_without_a_write_of_values(plan):
    record(plan, plan.campaigns.get(), value="5", on=date(2026, 6, 25), via="online")
    before = cached_figures(plan)
    goal = Target.objects.get(campaign__isnull=False, parent__isnull=True)

    Target.objects.filter(pk=goal.pk).update(period_end=date(2026, 6, 20))

    after = cached_figures(plan)
    assert after == computed_figures(plan)
    assert after["actuals"][goal.pk] != before["actuals"][goal.pk]


def test_a_budget_line_moved_to_another_channel_gets_its_new_spend(plan):
    cached_figures(plan)
    line = plan.budget_lines.get()

    type(line).objects.filter(pk=line.pk).update(channel=channel("offline"))

    assert cached_figures(plan) == computed_figures(plan)
    assert cached_figures(plan)["spent"][line.pk] == Decimal(0)


def test_a_rolled_back_write_leaves_no_figure_behind(plan):
    cached_figures(plan)

    inside = {}

    def write_then_fail():
        with transaction.atomic():
            write_again(plan)
            inside.update(cached=cached_figures(plan), computed=computed_figures(plan))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()

    assert inside["cached"] == inside["computed"]  # a page read inside the write saw it…
    assert cached_figures(plan) == computed_figures(plan) != inside["computed"]  # …and it is gone


def test_a_second_load_does_not_sum_the_values_again(plan):
    cached_figures(plan)

    with CaptureQueriesContext(connection) as queries:
        cached_figures(plan)

    assert not [q["sql"] for q in queries.captured_queries if "plans_metricvalue" in q["sql"]]


def test_the_first_load_after_a_write_sums_them_once_for_all_targets(plan):
    cached_figures(plan)
    write_new(plan)

    with CaptureQueriesContext(connection) as queries:
        cached_figures(plan)

    # the actuals, the quarters, the plan's cost, the lines' spend and the ranking: one each
    assert len([q for q in queries.captured_queries if "plans_metricvalue" in q["sql"]]) == 5


def test_with_the_cache_down_the_pages_compute_their_figures(plan):
    with (
        mock.patch("plans.actuals.cache.get_many", side_effect=ConnectionError),
        mock.patch("plans.actuals.cache.set_many", side_effect=ConnectionError),
    ):
        figures = cached_figures(plan)

    assert figures == computed_figures(plan)


def test_another_campaigns_write_leaves_this_campaigns_figures_in_the_cache(plan):
    other = CampaignFactory(plan=plan)
    cached_figures(plan)
    campaign_goals = selectors.target_rows().filter(campaign=plan.campaigns.exclude(pk=other.pk).get())

    record(plan, other, value="1", via="online")

    with CaptureQueriesContext(connection) as queries:
        selectors.with_cached_actuals(campaign_goals)
    assert not [q for q in queries.captured_queries if "plans_metricvalue" in q["sql"]]


def test_saving_a_campaign_read_before_a_write_keeps_the_new_version(plan):
    campaign = Campaign.objects.get(plan=plan)  # read, say, by an edit form
    cached_figures(plan)
    write_again(plan)
    after_write = cached_figures(plan)

    campaign.name = "改名 Renamed"
    campaign.save()
    AnnualPlan.objects.get(pk=plan.pk).save()  # the same for a plan

    assert Campaign.objects.get(pk=campaign.pk).name == "改名 Renamed"
    assert cached_figures(plan) == computed_figures(plan) == after_write
