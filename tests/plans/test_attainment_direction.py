"""Attainment is actual ÷ target × 100% for every metric; the metric's direction decides
whether above 100% is a win or a miss. A lower-is-better metric over its target never looks
like success: its bar is red and striped on the pages, and the API and the export say which
way the metric points."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.attainment import Status, evaluate
from plans.models import Aggregation, Direction
from plans.templatetags.plans_tags import attainment_style
from tests.api import results, url
from tests.factories import AnnualPlanFactory, CampaignFactory, MetricValueFactory, TargetFactory, metric

pytestmark = pytest.mark.django_db

JUNE_START, JUNE_END = date(2026, 6, 1), date(2026, 6, 30)


def level(actual, target, *, direction, today=JUNE_END):
    return evaluate(
        actual=Decimal(actual),
        target=Decimal(target),
        aggregation=Aggregation.AVERAGE,
        direction=direction,
        start=JUNE_START,
        end=JUNE_END,
        today=today,
    )


def test_attainment_is_actual_over_target_whatever_the_direction():
    sales = level("120", "100", direction=Direction.HIGHER)
    cost = level("107", "100", direction=Direction.LOWER)

    assert (sales.percent, cost.percent) == (Decimal("120.0"), Decimal("107.0"))
    assert (sales.status, cost.status) == (Status.ON_TRACK, Status.OFF_TRACK)
    assert (sales.over_target, cost.over_target) == (True, True)
    assert (sales.lower_is_better, cost.lower_is_better) == (False, True)


def test_a_lower_is_better_metric_exactly_on_its_target_is_not_over_it():
    assert level("4", "4", direction=Direction.LOWER).over_target is False
    assert level("4.0001", "4", direction=Direction.LOWER).over_target is True


def test_the_bar_of_a_lower_is_better_metric_over_its_target_is_red_whatever_the_status():
    # Values recorded before the period starts have no status yet; the bar still is no success.
    early = level("190.6", "100", direction=Direction.LOWER, today=date(2026, 5, 1))
    on_time = level("190.6", "100", direction=Direction.LOWER)
    sales = level("190.6", "100", direction=Direction.HIGHER)

    assert early.status == Status.NOT_STARTED
    assert attainment_style(early) == "danger"
    assert attainment_style(on_time) == "danger"
    assert attainment_style(sales) == "success"


def test_the_plan_page_draws_a_slow_response_time_as_a_red_striped_bar(client, manager):
    plan = AnnualPlanFactory()
    target = TargetFactory(
        plan=plan, campaign=None, metric=metric("negative_response_hours"), target_value=Decimal("4"), name="响应时长"
    )
    MetricValueFactory(
        campaign=CampaignFactory(plan=plan), metric=target.metric, date=date(2026, 6, 1), value=Decimal("7.62")
    )
    client.force_login(manager)

    html = client.get(plan.get_absolute_url()).content.decode()

    row = html[html.index("响应时长") :]
    row = row[: row.index("</tr>")]
    assert "190.5%" in row
    assert "bg-danger progress-bar-striped" in row
    assert "bg-success" not in row
    assert "lower is better" in row


def test_the_api_gives_the_same_attainment_with_the_metrics_direction(client_as, manager):
    plan = AnnualPlanFactory()
    target = TargetFactory(plan=plan, campaign=None, metric=metric("marketing_cost"), target_value=Decimal("300000"))
    MetricValueFactory(
        campaign=CampaignFactory(plan=plan), metric=target.metric, date=date(2026, 6, 1), value=Decimal("321000")
    )

    row = results(client_as(manager).get(url("target-list"), {"plan": plan.pk}))[0]

    assert (row["direction"], row["attainment_percent"], row["status"]) == ("lower", "107.0", "off_track")


def test_the_export_says_which_way_each_metric_points(client, manager):
    plan = AnnualPlanFactory()
    TargetFactory(plan=plan, campaign=None, metric=metric("marketing_cost"), target_value=Decimal("300000"))
    client.force_login(manager)

    response = client.get(reverse("plans:plan_export", args=[plan.pk]))

    rows = list(load_workbook(io.BytesIO(response.content))["目标 Targets"].iter_rows(values_only=True))
    assert rows[0][-1] == "方向 Direction"
    assert rows[1][-1] == "lower is better"
