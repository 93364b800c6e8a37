"""The quarterly split drives tracking: a plan target split "Q1 20%" expects 20% of the year's
target by the end of March, on a straight line within each quarter. Pace, what is expected,
paced thresholds and the plan page's quarter columns follow it; a target without a split
(a campaign's goal) keeps a straight line over its period."""

import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from plans import services
from plans.attainment import Status, evaluate, expected_share, quarter_attainments
from plans.models import Aggregation, Direction
from plans.selectors import plan_detail
from tests.api import results, url
from tests.factories import AnnualPlanFactory, CampaignFactory, MetricValueFactory, TargetFactory, metric
from tracking.evaluation import evaluate_all
from tracking.models import ThresholdKind
from tracking.services.thresholds import threshold_create

YEAR_START, YEAR_END = date(2026, 1, 1), date(2026, 12, 31)
# 1,000 for the year: Q1 20%, Q2 30%, Q3 30%, Q4 20%.
SPLIT = [Decimal(200), Decimal(300), Decimal(300), Decimal(200)]
MARCH_31, APRIL_1 = date(2026, 3, 31), date(2026, 4, 1)


def share(today, quarters=SPLIT):
    return expected_share(start=YEAR_START, end=YEAR_END, today=today, quarters=quarters)


def sales(actual, today, *, quarters=SPLIT, direction=Direction.HIGHER, target="1000"):
    return evaluate(
        actual=Decimal(actual),
        target=Decimal(target),
        aggregation=Aggregation.SUM,
        direction=direction,
        start=YEAR_START,
        end=YEAR_END,
        today=today,
        quarters=quarters,
    )


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(settings.TIME_ZONE))


# The arithmetic --------------------------------------------------------------------------------


def test_q1_twenty_percent_is_expected_in_full_by_the_end_of_march():
    assert share(MARCH_31) == Decimal("0.2")


def test_the_first_of_april_adds_one_day_of_q2s_share():
    # Q2 2026 has 91 days: 30% of the year over 91 days.
    assert share(APRIL_1) == Decimal("0.2") + Decimal("0.3") / 91


def test_within_a_quarter_the_expectation_is_a_straight_line():
    # Q1 2026 has 90 days; by 30 March, 89 of them.
    assert share(date(2026, 3, 30)) == Decimal("0.2") * 89 / 90
    assert share(date(2026, 2, 14)) == Decimal("0.2") * 45 / 90


def test_nothing_is_expected_before_the_period_and_all_of_it_at_its_end():
    assert share(date(2025, 12, 31)) == 0
    assert share(YEAR_END) == 1


def test_an_empty_quarter_expects_nothing_more_during_it():
    split = [Decimal(500), None, Decimal(0), Decimal(500)]

    assert share(MARCH_31, split) == share(date(2026, 9, 30), split) == Decimal("0.5")


def test_without_a_split_the_expectation_is_a_straight_line_over_the_period():
    assert share(MARCH_31, None) == Decimal(90) / Decimal(365)


def test_on_the_31st_of_march_the_split_expects_q1s_share_not_the_straight_line():
    result = sales("200", MARCH_31)
    straight = sales("200", MARCH_31, quarters=None)

    assert (result.expected, result.pace, result.status, result.split) == (
        Decimal(200),
        Decimal(1),
        Status.ON_TRACK,
        True,
    )
    assert straight.expected == Decimal(1000) * 90 / 365
    assert straight.status == Status.AT_RISK


def test_just_under_80_percent_of_q1s_share_on_the_31st_of_march_is_off_track():
    assert sales("160", MARCH_31).status == Status.AT_RISK
    assert sales("159.99", MARCH_31).status == Status.OFF_TRACK


def test_on_the_first_of_april_the_same_actual_falls_just_behind():
    result = sales("200", APRIL_1)

    assert result.expected == Decimal(1000) * (Decimal("0.2") + Decimal("0.3") / 91)
    assert result.status == Status.AT_RISK


def test_a_cost_split_by_quarter_is_over_its_allowance_once_past_q1s_share():
    # A budget of 1,000 of which Q1 may spend 200.
    assert sales("200", MARCH_31, direction=Direction.LOWER).status == Status.ON_TRACK
    assert sales("200.01", MARCH_31, direction=Direction.LOWER).status == Status.AT_RISK


def test_each_quarters_actual_is_judged_against_its_share():
    rows = quarter_attainments(
        quarters=SPLIT,
        actuals=[Decimal(180), Decimal(10), None, None],
        target=Decimal(1000),
        direction=Direction.HIGHER,
        start=YEAR_START,
        end=YEAR_END,
        today=APRIL_1,
    )

    assert [(row.quarter, row.amount, row.share) for row in rows][:2] == [
        (1, Decimal(200), Decimal("0.2")),
        (2, Decimal(300), Decimal("0.3")),
    ]
    assert rows[0].attainment.percent == Decimal("90.0")
    assert rows[0].attainment.status == Status.AT_RISK
    assert rows[1].attainment.expected == Decimal(300) / 91
    assert rows[2].attainment.status == Status.NOT_STARTED


# Saving a split --------------------------------------------------------------------------------


def plan_target_input(**fields) -> services.TargetInput:
    return services.TargetInput(
        **{
            "metric": metric("units_sold"),
            "category": "performance",
            "target_value": Decimal(1000),
            "q1": Decimal(200),
            "q2": Decimal(300),
            "q3": Decimal(300),
            "q4": Decimal(200),
            **fields,
        }
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("q4", "words"), [(Decimal(199), "1 less than"), (Decimal(201), "1 more than")])
def test_a_split_off_by_one_unit_is_refused_naming_the_difference(q4, words):
    plan = AnnualPlanFactory()

    with pytest.raises(ValidationError) as error:
        services.target_save(data=plan_target_input(q4=q4), plan=plan)

    assert words in error.value.message_dict["q1"][0]


@pytest.mark.django_db
def test_a_split_that_adds_up_exactly_is_saved():
    target = services.target_save(data=plan_target_input(), plan=AnnualPlanFactory())

    assert target.quarters == SPLIT


@pytest.mark.django_db
def test_a_split_needs_a_period_within_one_year():
    with pytest.raises(ValidationError) as error:
        services.target_save(
            data=plan_target_input(period_start=date(2026, 7, 1), period_end=date(2027, 6, 30)),
            plan=AnnualPlanFactory(),
        )

    assert "one calendar year" in error.value.message_dict["q1"][0]


@pytest.mark.django_db
def test_a_share_for_a_quarter_outside_the_period_is_refused_naming_the_quarter():
    with pytest.raises(ValidationError) as error:
        services.target_save(
            data=plan_target_input(period_start=date(2026, 4, 1), period_end=date(2026, 12, 31)),
            plan=AnnualPlanFactory(),
        )

    assert "Q1 lies outside the period" in error.value.message_dict["q1"][0]


# Pages, API and alerts -------------------------------------------------------------------------


@pytest.fixture
def plan():
    return AnnualPlanFactory(year=2026)


@pytest.fixture
def split_target(plan):
    return TargetFactory(
        plan=plan, campaign=None, name="全年销量", target_value=Decimal(1000), q1=200, q2=300, q3=300, q4=200
    )


def sold(plan, day: date, value) -> None:
    MetricValueFactory(campaign=None, plan=plan, metric=metric("units_sold"), date=day, value=Decimal(value))


@pytest.mark.django_db
def test_the_plan_page_expects_what_the_split_makes_due(plan, split_target):
    sold(plan, date(2026, 3, 10), 170)

    target = plan_detail(plan_id=plan.pk, today=MARCH_31)["targets"][0]

    assert target.attainment.expected == Decimal(200)
    assert target.attainment.status == Status.AT_RISK


@pytest.mark.django_db
def test_the_plan_page_shows_each_quarters_actual_against_its_share(plan, split_target):
    sold(plan, MARCH_31, 180)
    sold(plan, APRIL_1, 12)
    MetricValueFactory(campaign=None, plan=plan, metric=metric("units_sold"), date=date(2025, 4, 1), value=999)

    target = plan_detail(plan_id=plan.pk, today=APRIL_1)["targets"][0]

    assert [row.attainment.actual for row in target.quarter_rows] == [Decimal(180), Decimal(12), None, None]
    assert [row.attainment.percent for row in target.quarter_rows][:2] == [Decimal("90.0"), Decimal("4.0")]


@pytest.mark.django_db
def test_the_plan_pages_quarter_columns_render_share_actual_and_attainment(
    client, manager, plan, split_target, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.now", lambda: noon(APRIL_1))
    sold(plan, MARCH_31, 180)
    client.force_login(manager)

    html = client.get(plan.get_absolute_url()).content.decode()

    q1 = html[html.index('data-quarter="1"') :]
    q1 = q1[: q1.index("</tr>")]
    assert "(20%)" in q1
    assert "180" in q1
    assert "90.0%" in q1
    assert "of the target due by today (quarterly split)" in html


@pytest.mark.django_db
def test_the_plan_page_runs_the_same_queries_with_1_or_20_split_targets(
    client, manager, plan, count_queries, fresh_cache
):
    client.force_login(manager)

    def add(count):
        for _ in range(count):
            TargetFactory(plan=plan, campaign=None, target_value=Decimal(1000), q1=200, q2=300, q3=300, q4=200)

    def counts():
        """The first load computing the figures the cache keeps (plans.actuals), the next reading them."""
        fresh_cache.clear()
        return count_queries(lambda: client.get(plan.get_absolute_url())), count_queries(
            lambda: client.get(plan.get_absolute_url())
        )

    add(1)
    small = counts()
    add(19)
    large = counts()

    assert small == large


@pytest.mark.django_db
def test_the_api_expects_to_date_what_the_split_makes_due(client_as, manager, plan, split_target, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: noon(MARCH_31))

    row = results(client_as(manager).get(url("target-list"), {"plan": plan.pk}))[0]

    assert row["expected_to_date"] == "200.0000"


@pytest.mark.django_db
def test_a_paced_threshold_follows_the_split_at_the_quarter_boundary(plan, split_target):
    sold(plan, date(2026, 3, 10), 160)
    threshold = threshold_create(
        kind=ThresholdKind.ATTAINMENT_BELOW, target=split_target, percent=Decimal(80), paced=True
    )

    evaluate_all(now=noon(MARCH_31))
    # A straight line would expect 246.6 by 31 March and alert; the split expects 200: 80%.
    assert not threshold.alerts.unresolved().exists()

    evaluate_all(now=noon(APRIL_1))
    # 1 April adds a day of Q2: 203.30 expected, 160 is 78.7% of it.
    alert = threshold.alerts.unresolved().get()
    assert alert.expected == Decimal("203.2967")
    assert "78.7%" in alert.summary


@pytest.mark.django_db
def test_a_campaign_goal_without_a_split_keeps_a_straight_line():
    campaign = CampaignFactory(start_date=date(2026, 3, 1), end_date=date(2026, 4, 29))
    goal = TargetFactory(campaign=campaign, target_value=Decimal(600))

    target = plan_detail(plan_id=campaign.plan_id, today=MARCH_31)["campaigns"][0].goals[0]

    assert goal.pk == target.pk
    assert target.attainment.expected == Decimal(600) * 31 / 60
    assert target.attainment.split is False


@pytest.mark.django_db
def test_an_alerts_chart_draws_the_splits_daily_pace_changing_at_the_quarter(plan, split_target):
    from tracking.selectors import alert_chart

    sold(plan, date(2026, 3, 10), 100)
    threshold = threshold_create(
        kind=ThresholdKind.ATTAINMENT_BELOW, target=split_target, percent=Decimal(80), paced=True
    )
    evaluate_all(now=noon(APRIL_1))
    alert = threshold.alerts.unresolved().get()

    chart = json.loads(alert_chart(alert=alert, today=APRIL_1)["json"])

    assert chart["labels"][-2:] == ["2026-03-31", "2026-04-01"]
    assert chart["reference"][-2:] == [round(200 / 90, 4), round(300 / 91, 4)]


@pytest.mark.django_db
def test_the_rule_of_a_paced_threshold_on_a_split_target_says_it_follows_the_split(split_target):
    from tracking.models import Threshold
    from tracking.rules import describe

    rule = describe(Threshold(kind=ThresholdKind.ATTAINMENT_BELOW, target=split_target, percent=80, paced=True))

    assert rule.endswith(", paced by the target's quarterly split (compared with what it makes due by today)")
