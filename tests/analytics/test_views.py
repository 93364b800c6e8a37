"""The analytics schema's views answer on seeded data, with the names a BI tool needs, and
target attainment agrees with the product's own (plans.selectors, plans.attainment)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from analytics.schema import view_names
from plans.selectors import target_list, with_attainment
from tests.factories import (
    AnnualPlanFactory,
    CampaignFactory,
    MetricValueFactory,
    TargetFactory,
    TaskFactory,
    attainment_threshold,
    channel,
    metric,
    open_alert,
)
from tracking.models import Issue

pytestmark = pytest.mark.django_db

VIEWS = ["alerts", "issues", "metric_values", "target_attainment_daily", "tasks"]


def rows(sql: str, params=()) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture
def seeded(make_user):
    """A campaign running around today with a goal on units sold (two channels' values and a
    total), a plan target on revenue, a task, an alert and an issue."""
    today = timezone.localdate()
    plan = AnnualPlanFactory(year=today.year)
    campaign = CampaignFactory(
        plan=plan, name="618 大促", start_date=today - timedelta(days=9), end_date=today + timedelta(days=20)
    )
    goal = TargetFactory(campaign=campaign, target_value=Decimal(1000))
    plan_target = TargetFactory(
        campaign=None,
        plan=plan,
        metric=metric("sales_revenue"),
        target_value=Decimal(500000),
        period_start=date(today.year, 1, 1),
        period_end=date(today.year, 12, 31),
    )
    for days_ago, value, code in [(5, 100, "ecommerce"), (3, 150, None), (1, 50, "ecommerce")]:
        MetricValueFactory(
            campaign=campaign,
            date=today - timedelta(days=days_ago),
            value=Decimal(value),
            channel=channel(code) if code else None,
        )
    MetricValueFactory(campaign=campaign, metric=metric("sales_revenue"), date=today, value=Decimal(120000))
    responsible = make_user("staff", name="李娜")
    task = TaskFactory(stage__campaign=campaign, responsible=responsible, due_date=today - timedelta(days=1))
    alert = open_alert(attainment_threshold(goal))
    issue = Issue.objects.create(campaign=campaign, description="物流延迟", occurred_at=timezone.now())
    return {
        "campaign": campaign,
        "goal": goal,
        "plan_target": plan_target,
        "task": task,
        "alert": alert,
        "issue": issue,
    }


def test_the_schema_holds_the_documented_views():
    assert view_names(connection) == VIEWS
    comments = rows(
        "SELECT c.relname, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'analytics' ORDER BY 1"
    )
    assert all(row["comment"] for row in comments), comments


def test_metric_values_carry_their_metric_channel_and_campaign_names(seeded):
    values = rows("SELECT * FROM analytics.metric_values WHERE metric_code = 'units_sold' ORDER BY date")

    assert [row["value"] for row in values] == [100, 150, 50]
    assert values[0]["campaign_name"] == "618 大促"
    assert values[0]["channel_code"] == "ecommerce"
    assert values[0]["channel_name_zh"]
    assert values[1]["channel_id"] is None
    assert values[0]["metric_name_en"] == metric("units_sold").name_en


def test_target_attainment_per_day_accumulates_and_divides_by_the_target(seeded):
    today = timezone.localdate()
    days = rows(
        "SELECT day, day_value, actual_to_date, attainment_percent FROM analytics.target_attainment_daily "
        "WHERE target_id = %s ORDER BY day",
        [seeded["goal"].pk],
    )

    assert days[0]["day"] == seeded["campaign"].start_date
    assert days[-1]["day"] == today
    by_day = {row["day"]: row for row in days}
    assert by_day[today - timedelta(days=5)]["actual_to_date"] == 100
    assert by_day[today - timedelta(days=4)]["day_value"] is None
    assert by_day[today - timedelta(days=3)]["actual_to_date"] == 250
    assert by_day[today]["actual_to_date"] == 300
    assert by_day[today]["attainment_percent"] == Decimal("30.0")


def test_attainment_today_is_the_products_for_every_target(seeded):
    today = timezone.localdate()
    product = {t.pk: t for t in with_attainment(target_list(), today=today)}
    view = rows("SELECT * FROM analytics.target_attainment_daily WHERE day = %s", [today])

    assert {row["target_id"] for row in view} == set(product)
    for row in view:
        target = product[row["target_id"]]
        assert row["actual_to_date"] == target.attainment.actual
        assert row["attainment_percent"] == target.attainment.percent
        assert row["metric_direction"] == target.metric.direction


def test_tasks_carry_their_r_a_and_status(seeded):
    (task,) = rows("SELECT * FROM analytics.tasks")

    assert task["task_id"] == seeded["task"].pk
    assert task["responsible_name"] == "李娜"
    assert task["accountable_id"] == seeded["task"].accountable_id
    assert task["status"] == "not_started"
    assert task["is_overdue"] is True
    assert "email" not in task


def test_alerts_and_issues_answer(seeded):
    (alert,) = rows("SELECT * FROM analytics.alerts")
    (issue,) = rows("SELECT * FROM analytics.issues")

    assert (alert["alert_id"], alert["state"], alert["campaign_id"]) == (
        seeded["alert"].pk,
        "open",
        seeded["campaign"].pk,
    )
    assert alert["plan_id"] == seeded["campaign"].plan_id
    assert (issue["issue_id"], issue["campaign_name"], issue["state"]) == (seeded["issue"].pk, "618 大促", "open")


@pytest.mark.parametrize("session_zone", ["UTC", "Pacific/Kiritimati", "America/Los_Angeles"])
def test_the_views_today_is_the_sites_today_whatever_the_readers_time_zone(session_zone):
    """A BI tool's session may be in any time zone (Django's own are in UTC): the views count
    overdue tasks and attainment to date by the site's day, as the pages do."""
    from analytics.schema import site_today, view_statements

    assert not any("CURRENT_DATE" in statement.upper() for statement in view_statements())
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE %s", [session_zone])
        try:
            cursor.execute(f"SELECT {site_today()}")
            (day,) = cursor.fetchone()
        finally:
            cursor.execute("SET TIME ZONE 'UTC'")

    assert day == timezone.localdate()
