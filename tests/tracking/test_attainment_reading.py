"""Attainment thresholds read attainment the way the pages do, actual ÷ target × 100% for
every metric: the metric's direction only decides which side is the miss. A higher-is-better
metric alerts below the percentage, a lower-is-better one (a cost cap, a response time) above
it; the alert and the rule in words say so, with the same figure as the plan page."""

import importlib
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from plans.selectors import attainment_of, target_list
from tests.factories import TargetFactory, metric, record, set_value
from tracking.evaluation import evaluate_all
from tracking.models import Threshold, ThresholdKind
from tracking.rules import describe
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db


def attainment_threshold(target, percent, *, paced=False):
    return threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(percent), paced=paced)


def test_a_cost_threshold_at_80_percent_warns_once_spend_passes_80_percent_of_the_cap(campaign, now):
    target = TargetFactory(campaign=campaign, metric=metric("marketing_cost"), target_value=Decimal("300000"))
    record(campaign, "marketing_cost", {1: 240000})  # exactly 80%
    threshold = attainment_threshold(target, 80)

    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()

    set_value(campaign, "marketing_cost", 1, "240000.01")
    evaluate_all(now=now)

    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal("240000.01"), Decimal("300000"))


def test_spend_under_the_cap_is_no_miss_however_low(campaign, now):
    target = TargetFactory(campaign=campaign, metric=metric("marketing_cost"), target_value=Decimal("300000"))
    record(campaign, "marketing_cost", {1: 1000})
    threshold = attainment_threshold(target, 100)

    evaluate_all(now=now)

    assert not threshold.alerts.unresolved().exists()


def test_sales_at_exactly_80_percent_do_not_alert_and_just_under_do(campaign, now):
    target = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
    record(campaign, "units_sold", {1: 24000})
    threshold = attainment_threshold(target, 80)

    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()

    set_value(campaign, "units_sold", 1, 23999)
    evaluate_all(now=now)
    assert threshold.alerts.unresolved().exists()


def test_a_slow_response_time_alert_gives_the_same_attainment_as_the_plan_page(campaign, now):
    # 7.62 h on average against a 4 h target: 190.5%, as the plan page shows it.
    target = TargetFactory(
        campaign=campaign, metric=metric("negative_response_hours"), target_value=Decimal("4"), name="响应时长"
    )
    record(campaign, "negative_response_hours", {1: "7.24", 2: "8"})
    threshold = attainment_threshold(target, 100)

    evaluate_all(now=now)

    alert = threshold.alerts.unresolved().get()
    page = attainment_of(target_list().get(pk=target.pk), today=now.date())
    assert page.percent == Decimal("190.5")
    assert "190.5%" in alert.summary
    assert "alert above 100%" in alert.summary
    assert "lower is better" in alert.summary
    assert "190.5%" in alert.summary_zh


def test_the_rule_of_a_lower_is_better_threshold_reads_above_the_percentage_of_the_target(campaign):
    target = TargetFactory(campaign=campaign, metric=metric("marketing_cost"), target_value=Decimal("300000"))
    threshold = Threshold(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(110), paced=False)

    with translation.override("en"):
        rule = describe(threshold)
    with translation.override("zh-hans"):
        rule_zh = describe(threshold)

    assert rule == (
        "Alert when Marketing cost (lower is better) is above 110% of the target, "
        "i.e. its attainment (actual ÷ target) is over 110%"
    )
    assert "110%" in rule_zh
    assert "高于" in rule_zh


def test_the_percentage_is_explained_on_the_threshold_form(client, manager, campaign):
    client.force_login(manager)

    html = client.get(f"/campaigns/{campaign.pk}/thresholds/new/").content.decode()

    assert "above it for a metric where lower is better" in html


# The migration: thresholds saved under the old reading keep breaching at the same actual ------


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_old_lower_is_better_floors_into_ceilings_at_the_same_actual():
    executor = MigrationExecutor(connection)
    executor.migrate([("tracking", "0003_move_notifications_out")])
    executor.loader.build_graph()
    apps = executor.loader.project_state([("tracking", "0003_move_notifications_out")]).apps
    try:
        User = apps.get_model("accounts", "User")
        AnnualPlan = apps.get_model("plans", "AnnualPlan")
        Metric = apps.get_model("plans", "Metric")
        Target = apps.get_model("plans", "Target")
        Threshold = apps.get_model("tracking", "Threshold")
        plan = AnnualPlan.objects.create(year=2026, title="Plan", owner=User.objects.create(username="old-owner"))

        def old(code, percent):
            target = Target.objects.create(
                plan=plan,
                # Only the id: later migrations of plans (not undone here) changed other columns.
                metric_id=Metric.objects.filter(code=code).values_list("pk", flat=True).get(),
                category="performance",
                target_value=100,
                period_start="2026-01-01",
                period_end="2026-12-31",
            )
            return Threshold.objects.create(kind="attainment_below", target=target, plan=plan, percent=percent).pk

        ids = {
            "cost_80": old("marketing_cost", Decimal(80)),
            "cost_70": old("marketing_cost", Decimal(70)),
            "cost_5": old("marketing_cost", Decimal(5)),
            "sales_80": old("units_sold", Decimal(80)),
        }

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

        percents = {name: Threshold.objects.get(pk=pk).percent for name, pk in ids.items()}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert percents == {
        "cost_80": Decimal("125.00"),
        "cost_70": Decimal("142.86"),
        "cost_5": Decimal("1000.00"),
        "sales_80": Decimal("80.00"),
    }


def test_the_migrations_arithmetic_keeps_the_breaking_point():
    migration = importlib.import_module("tracking.migrations.0004_attainment_reads_actual_over_target")

    # Old: breached when target ÷ actual < 80%, i.e. actual over 125% of the target.
    assert migration._inverted(Decimal(80)) == Decimal("125.00")
    assert migration._inverted(Decimal(100)) == Decimal("100.00")
    assert migration._inverted(Decimal(10)) == Decimal(1000)
