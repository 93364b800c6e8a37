"""/api/v1/facts/targets/: a goal's target, pace, actual, cumulative actual, attainment and
status per day and per ISO week, cursor pages of a fixed number of queries, bad input a 400."""

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from tests.api import url
from tests.factories import AnnualPlanFactory, CampaignFactory, MetricValueFactory, TargetFactory

pytestmark = pytest.mark.django_db

READERS = [Role.STAFF, Role.DEPARTMENT_LEAD, Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.VIEWER, "admin", "token"]


@pytest.fixture
def goal():
    """30,000 units over June 2026 (30 days: 1,000 a day by pace), 1,000 sold on each of 1–10 June."""
    campaign = CampaignFactory()
    for day in range(10):
        MetricValueFactory(campaign=campaign, date=date(2026, 6, 1) + timedelta(days=day), value=Decimal("1000"))
    return TargetFactory(campaign=campaign, target_value=Decimal("30000"))


def facts(client, **params) -> list[dict]:
    response = client.get(url("facts-targets"), params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_day_holds_its_target_by_pace_its_actual_and_the_attainment_to_date(client_as, goal):
    (row,) = facts(client_as(Role.STAFF), date_from="2026-06-10", date_to="2026-06-10")

    assert row["target"] == goal.pk
    assert row["kind"] == "campaign_goal"
    assert (row["period"], row["period_start"], row["period_end"]) == ("2026-06-10", "2026-06-10", "2026-06-10")
    assert Decimal(row["period_target"]) == Decimal("1000")
    assert Decimal(row["expected"]) == Decimal("10000")
    assert Decimal(row["actual"]) == Decimal("1000")
    assert Decimal(row["cumulative_actual"]) == Decimal("10000")
    assert Decimal(row["attainment_percent"]) == Decimal("33.3")
    assert Decimal(row["pace"]) == Decimal("1")
    assert row["status"] == "on_track"


def test_a_week_behind_its_pace_is_off_track_below_80_percent(client_as, goal):
    rows = facts(client_as(Role.VIEWER), grain="week", date_from="2026-06-08", date_to="2026-06-14")

    (week,) = rows
    assert week["period"] == "2026-W24"
    assert (week["period_start"], week["period_end"]) == ("2026-06-08", "2026-06-14")
    assert Decimal(week["period_target"]) == Decimal("7000")
    assert Decimal(week["actual"]) == Decimal("3000")
    assert Decimal(week["cumulative_actual"]) == Decimal("10000")
    assert Decimal(week["expected"]) == Decimal("14000")
    # 10,000 of 14,000 expected is 71% of pace: below the 80% at-risk floor.
    assert week["status"] == "off_track"


def test_the_day_at_80_percent_of_pace_is_at_risk_and_just_below_is_off_track(client_as):
    campaign = CampaignFactory()
    goal = TargetFactory(campaign=campaign, target_value=Decimal("30000"))
    MetricValueFactory(campaign=campaign, date=date(2026, 6, 1), value=Decimal("800"))
    MetricValueFactory(campaign=campaign, date=date(2026, 6, 2), value=Decimal("799.9999"))

    first, second = facts(client_as(Role.STAFF), date_from="2026-06-01", date_to="2026-06-02")

    assert (first["target"], first["status"]) == (goal.pk, "at_risk")  # 800 of 1,000 expected
    assert second["status"] == "off_track"  # 1,599.9999 of 2,000 expected


def test_the_period_targets_of_a_goal_add_up_to_the_goal(client_as, goal):
    rows = []
    client = client_as(Role.STAFF)
    params = {"grain": "week", "page_size": 1}
    while True:
        response = client.get(url("facts-targets"), params)
        assert response.status_code == 200
        rows += response.json()["results"]
        if not response.json()["next"]:
            break
        params = {
            "cursor": parse_qs(urlsplit(response.json()["next"]).query)["cursor"][0],
            "grain": "week",
            "page_size": 1,
        }

    # June 2026 runs from Monday 1 June to Tuesday 30 June: five ISO weeks, the target's own period.
    assert [row["period"] for row in rows] == ["2026-W23", "2026-W24", "2026-W25", "2026-W26", "2026-W27"]
    assert sum(Decimal(row["period_target"]) for row in rows) == Decimal("30000")
    assert Decimal(rows[-1]["period_target"]) == Decimal("2000")  # 29 and 30 June only


def test_a_plan_target_follows_its_quarterly_split(client_as):
    plan = AnnualPlanFactory()
    TargetFactory(
        plan=plan,
        campaign=None,
        target_value=Decimal("100"),
        q1=Decimal("20"),
        q2=Decimal("30"),
        q3=Decimal("25"),
        q4=Decimal("25"),
    )

    march_31, april_1 = facts(client_as(Role.STAFF), date_from="2026-03-31", date_to="2026-04-01")

    assert march_31["kind"] == "plan_target"
    assert Decimal(march_31["expected"]) == Decimal("20")  # Q1's 20% due by 31 March
    assert Decimal(march_31["period_target"]) == (Decimal("20") / 90).quantize(Decimal("0.0001"))
    assert Decimal(april_1["period_target"]) == (Decimal("30") / 91).quantize(Decimal("0.0001"))


def test_a_cursor_walk_gives_every_target_and_period_once(client_as):
    campaign = CampaignFactory()
    goals = [TargetFactory(campaign=campaign, target_value=Decimal(1000 * n)) for n in range(1, 4)]
    client = client_as(Role.STAFF)
    seen, params = [], {"date_from": "2026-06-01", "date_to": "2026-06-16", "page_size": 2}
    pages = 0
    while params:
        body = client.get(url("facts-targets"), params).json()
        seen += [(row["target"], row["period"]) for row in body["results"]]
        pages += 1
        params = {**params, "cursor": parse_qs(urlsplit(body["next"]).query)["cursor"][0]} if body["next"] else None

    expected = [(g.pk, (date(2026, 6, 1) + timedelta(days=d)).isoformat()) for g in goals for d in range(16)]
    assert sorted(seen) == sorted(expected)
    assert len(seen) == len(set(seen))
    assert pages == 3 * 2  # three blocks of up to seven days, two pages of targets each


@pytest.mark.parametrize("reader", READERS)
def test_every_role_reads_the_facts(client_as, goal, reader):
    assert len(facts(client_as(reader), date_from="2026-06-01", date_to="2026-06-03")) == 3


def test_a_page_runs_the_same_queries_for_few_and_many_targets_and_values(client_as, django_assert_num_queries):
    client = client_as(Role.MARKETING_MANAGER)

    def add(targets, values):
        campaign = CampaignFactory()
        for n in range(targets):
            TargetFactory(campaign=campaign, target_value=Decimal(100 + n))
        for day in range(values):
            MetricValueFactory(campaign=campaign, date=date(2026, 6, 1) + timedelta(days=day))

    def count():
        with CaptureQueriesContext(connection) as captured:
            facts(client, grain="week", page_size=50)
        return len(captured)

    add(2, 3)
    small = count()
    add(20, 25)
    assert count() == small


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"grain": "month"}, "grain"),
        ({"date_from": "2026-13-01"}, "date_from"),
        ({"date_from": "1999-12-31"}, "date_from"),
        ({"date_to": "10000-01-01"}, "date_to"),
        ({"date_from": "2026-06-10", "date_to": "2026-06-01"}, "date_to"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "١٠"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "OTk5OS0xMi0zMTox"}, "cursor"),  # 9999-12-31:1, outside the dates kept
        ({"campaign": "x"}, "campaign"),
        ({"metric": "="}, "metric"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client_as, goal, params, field):
    response = client_as(Role.STAFF).get(url("facts-targets"), params)

    assert response.status_code == 400
    assert field in response.json()


def test_no_targets_no_facts(client_as):
    body = client_as(Role.STAFF).get(url("facts-targets")).json()

    assert body == {"next": None, "date_from": None, "date_to": None, "results": []}


def test_anonymous_requests_get_401(api_client):
    assert api_client.get(url("facts-targets")).status_code == 401
