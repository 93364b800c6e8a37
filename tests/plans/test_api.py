import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.checks import schema_check
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from accounts.models import Role, User
from plans.models import (
    AnnualPlan,
    BudgetLine,
    Campaign,
    CampaignStatus,
    Channel,
    Metric,
    MetricValue,
    PlanItem,
    PlanStatus,
    QuarterFocus,
    Target,
    ValueSource,
    metric_value_key,
)
from tests.factories import (
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

ROLES = [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]
# Everyone who may not edit plans or create campaigns: the other roles and a BI token.
NOT_MANAGERS = [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER, "token"]
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


@pytest.fixture
def client_as(request, make_user):
    """client_as(who): an API client signed in as a new person in that role, as an
    administrator ("admin"), as a given User, or with a read-only BI token ("token")."""

    def build(who, **fields):
        if who == "token":
            return request.getfixturevalue("token_client")
        if isinstance(who, User):
            user = who
        elif who == "admin":
            user = make_user(None, is_staff=True, is_superuser=True, **fields)
        else:
            user = make_user(who, **fields)
        client = APIClient()
        client.force_authenticate(user)
        client.user = user
        return client

    return build


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def results(response):
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def ids(response):
    return sorted(row["id"] for row in results(response))


# Reading ----------------------------------------------------------------------------------


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


# Channels and metrics ---------------------------------------------------------------------


@pytest.mark.parametrize("who", [*ROLES, "token"])
def test_only_administrators_change_channels_and_metrics(client_as, who):
    client = client_as(who)
    channels_before = Channel.objects.count()

    created = client.post(
        url("channel-list"), {"code": "kiosk", "name_en": "Kiosk", "name_zh": "亭", "kind": "offline"}
    )
    changed = client.patch(url("metric-detail", metric("units_sold").pk), {"name_en": "Units"})

    assert (created.status_code, changed.status_code) == (403, 403)
    assert Channel.objects.count() == channels_before
    assert metric("units_sold").name_en == "Units sold"


def test_an_administrator_adds_a_channel_under_a_parent_given_by_code(client_as):
    client = client_as("admin")

    response = client.post(
        url("channel-list"),
        {"code": "kiosk", "name_en": "Kiosks", "name_zh": "售货亭", "kind": "offline", "parent": "offline"},
    )

    assert response.status_code == 201, response.json()
    assert Channel.objects.get(code="kiosk").parent == channel("offline")
    assert response.json()["parent"] == "offline"


def test_a_metric_in_use_cannot_be_deleted(client_as):
    TargetFactory(metric=metric("units_sold"))
    client = client_as("admin")

    response = client.delete(url("metric-detail", metric("units_sold").pk))

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert Metric.objects.filter(code="units_sold").exists()


# Plans ------------------------------------------------------------------------------------


def test_a_manager_creates_a_plan_in_draft_that_they_own(client_as):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("plan-list"), {"year": 2027, "title": "2027 plan", "budget": "5000000"})

    assert response.status_code == 201, response.json()
    plan = AnnualPlan.objects.get()
    assert (plan.title, plan.status, plan.owner) == ("2027 plan", PlanStatus.DRAFT, client.user)
    assert response.json()["campaign_count"] == 0
    assert plan.history.first().history_user == client.user


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_create_plans(client_as, who):
    client = client_as(who)

    response = client.post(url("plan-list"), {"year": 2027, "title": "Not mine to make"})

    assert response.status_code == 403
    assert AnnualPlan.objects.count() == 0


def test_a_plan_with_a_year_out_of_range_is_refused_naming_the_year(client_as):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("plan-list"), {"year": 1999, "title": "Too early"})

    assert response.status_code == 400
    assert "year" in response.json()
    assert AnnualPlan.objects.count() == 0


def test_a_plan_without_a_title_is_refused_naming_the_title(client_as):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("plan-list"), {"year": 2027})

    assert response.status_code == 400
    assert "title" in response.json()
    assert AnnualPlan.objects.count() == 0


def test_a_manager_changes_a_plan(client_as):
    plan = AnnualPlanFactory(title="Draft")
    client = client_as(Role.MARKETING_MANAGER)

    response = client.patch(url("plan-detail", plan.pk), {"title": "2026 marketing plan", "budget": "1200000"})

    assert response.status_code == 200, response.json()
    plan.refresh_from_db()
    assert (plan.title, plan.budget) == ("2026 marketing plan", Decimal("1200000"))


def test_a_closed_plan_is_frozen_even_for_managers(client_as):
    plan = AnnualPlanFactory(title="Last year", status=PlanStatus.CLOSED)
    client = client_as(Role.MARKETING_MANAGER)

    response = client.patch(url("plan-detail", plan.pk), {"title": "Rewritten"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.title == "Last year"


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_change_plans(client_as, who):
    plan = AnnualPlanFactory(title="Draft")
    client = client_as(who)

    response = client.patch(url("plan-detail", plan.pk), {"title": "Rewritten"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.title == "Draft"


def test_an_executive_approves_a_draft_plan(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.EXECUTIVE)

    response = client.post(url("plan-status", plan.pk), {"status": "approved"})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (PlanStatus.APPROVED, client.user)


@pytest.mark.parametrize("who", [Role.MARKETING_MANAGER, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER, "token"])
def test_only_executives_approve_a_plan(client_as, who):
    plan = AnnualPlanFactory()
    client = client_as(who)

    response = client.post(url("plan-status", plan.pk), {"status": "approved"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_manager_activates_an_approved_plan(client_as):
    plan = AnnualPlanFactory(status=PlanStatus.APPROVED)
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("plan-status", plan.pk), {"status": "active"})

    assert response.status_code == 200, response.json()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


@pytest.mark.parametrize("who", [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER, "token"])
def test_only_managers_activate_a_plan(client_as, who):
    plan = AnnualPlanFactory(status=PlanStatus.APPROVED)
    client = client_as(who)

    response = client.post(url("plan-status", plan.pk), {"status": "active"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_an_unknown_plan_status_is_refused_naming_the_status(client_as):
    plan = AnnualPlanFactory()
    client = client_as("admin")

    response = client.post(url("plan-status", plan.pk), {"status": "celebrated"})

    assert response.status_code == 400
    assert "status" in response.json()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_second_active_plan_for_a_year_is_refused_naming_the_status(client_as):
    AnnualPlanFactory(year=2026, status=PlanStatus.ACTIVE)
    plan = AnnualPlanFactory(year=2026, status=PlanStatus.APPROVED)
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("plan-status", plan.pk), {"status": "active"})

    assert response.status_code == 400
    assert "status" in response.json()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_only_administrators_may_force_a_plan_status(client_as):
    plan = AnnualPlanFactory(status=PlanStatus.ACTIVE)

    by_manager = client_as(Role.MARKETING_MANAGER).post(
        url("plan-status", plan.pk), {"status": "closed", "force": True}
    )
    plan.refresh_from_db()
    status_after_manager = plan.status
    by_admin = client_as("admin").post(url("plan-status", plan.pk), {"status": "draft", "force": True})

    assert (by_manager.status_code, status_after_manager) == (403, PlanStatus.ACTIVE)
    assert by_admin.status_code == 200
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_plans_filter_by_year_status_owner_and_updated_after(client_as):
    owner = UserFactory()
    old = AnnualPlanFactory(year=2025, status=PlanStatus.CLOSED)
    current = AnnualPlanFactory(year=2026, status=PlanStatus.ACTIVE, owner=owner)
    AnnualPlan.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=30))
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("plan-list"), {"year": 2025})) == [old.pk]
    assert ids(client.get(url("plan-list"), {"status": "active"})) == [current.pk]
    assert ids(client.get(url("plan-list"), {"owner": owner.pk})) == [current.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(client.get(url("plan-list"), {"updated_after": since})) == [current.pk]


# Plan items and quarterly focus -----------------------------------------------------------


def test_a_manager_adds_a_strategy_to_a_plan(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("plan-item-list"),
        {"plan": plan.pk, "section": "strategy", "category": "channel", "title": "Grow private domain"},
    )

    assert response.status_code == 201, response.json()
    item = PlanItem.objects.get()
    assert (item.plan, item.section, item.category, item.title) == (plan, "strategy", "channel", "Grow private domain")


def test_a_plan_item_category_outside_its_section_is_refused_naming_the_category(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("plan-item-list"), {"plan": plan.pk, "section": "strategy", "category": "competition", "title": "x"}
    )

    assert response.status_code == 400
    assert "category" in response.json()
    assert PlanItem.objects.count() == 0


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_add_plan_items(client_as, who):
    plan = AnnualPlanFactory()
    client = client_as(who)

    response = client.post(
        url("plan-item-list"), {"plan": plan.pk, "section": "review", "category": "results", "title": "x"}
    )

    assert response.status_code == 403
    assert PlanItem.objects.count() == 0


def test_items_of_a_closed_plan_cannot_be_changed(client_as):
    plan = AnnualPlanFactory(status=PlanStatus.CLOSED)
    item = PlanItem.objects.create(plan=plan, section="review", category="results", title="Sales grew 12%")
    client = client_as(Role.MARKETING_MANAGER)

    changed = client.patch(url("plan-item-detail", item.pk), {"title": "Sales grew 20%"})
    deleted = client.delete(url("plan-item-detail", item.pk))

    assert (changed.status_code, deleted.status_code) == (403, 403)
    item.refresh_from_db()
    assert item.title == "Sales grew 12%"


def test_a_manager_changes_and_deletes_a_plan_item(client_as):
    item = PlanItem.objects.create(plan=AnnualPlanFactory(), section="review", category="results", title="Draft")
    client = client_as(Role.MARKETING_MANAGER)

    changed = client.patch(url("plan-item-detail", item.pk), {"title": "Sales grew 12%"})
    item.refresh_from_db()
    title = item.title
    deleted = client.delete(url("plan-item-detail", item.pk))

    assert (changed.status_code, title) == (200, "Sales grew 12%")
    assert deleted.status_code == 204
    assert not PlanItem.objects.exists()


def test_plan_items_filter_by_plan_and_section(client_as):
    plan, other = AnnualPlanFactory(), AnnualPlanFactory()
    strategy = PlanItem.objects.create(plan=plan, section="strategy", category="price", title="Hold prices")
    PlanItem.objects.create(plan=plan, section="safeguard", category="risk", title="Stock buffer")
    PlanItem.objects.create(plan=other, section="strategy", category="price", title="Cut prices")
    client = client_as(Role.STAFF)

    response = client.get(url("plan-item-list"), {"plan": plan.pk, "section": "strategy"})

    assert ids(response) == [strategy.pk]


def test_a_manager_sets_and_then_changes_a_quarter_focus(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    created = client.post(url("quarter-focus-list"), {"plan": plan.pk, "quarter": 2, "theme": "Push"})
    changed = client.patch(url("quarter-focus-detail", created.json()["id"]), {"key_actions": "618 promotion"})

    assert (created.status_code, changed.status_code) == (201, 200)
    focus = QuarterFocus.objects.get()
    assert (focus.quarter, focus.theme, focus.key_actions) == (2, "Push", "618 promotion")


def test_a_second_focus_for_the_same_quarter_is_refused(client_as):
    plan = AnnualPlanFactory()
    QuarterFocus.objects.create(plan=plan, quarter=1, theme="Launch")
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("quarter-focus-list"), {"plan": plan.pk, "quarter": 1, "theme": "Again"})

    assert response.status_code == 400
    assert "This plan already has a focus for that quarter" in str(response.json())
    assert list(QuarterFocus.objects.values_list("theme_en", flat=True)) == ["Launch"]


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_set_a_quarter_focus(client_as, who):
    plan = AnnualPlanFactory()
    client = client_as(who)

    response = client.post(url("quarter-focus-list"), {"plan": plan.pk, "quarter": 3, "theme": "Sprint"})

    assert response.status_code == 403
    assert QuarterFocus.objects.count() == 0


# Targets ----------------------------------------------------------------------------------


def test_a_target_shows_its_actual_and_attainment(client_as):
    campaign = CampaignFactory(start_date=date(2026, 6, 1), end_date=date(2026, 6, 30))
    target = TargetFactory(campaign=campaign, target_value=Decimal("50000"))
    MetricValueFactory(campaign=campaign, date=date(2026, 6, 1), value=Decimal("20000"))
    MetricValueFactory(campaign=campaign, date=date(2026, 6, 2), value=Decimal("10000"))
    MetricValueFactory(campaign=campaign, date=date(2026, 7, 1), value=Decimal("99999"))  # after the period
    MetricValueFactory(date=date(2026, 6, 1), value=Decimal("77777"))  # another campaign
    client = client_as(Role.VIEWER)

    row = client.get(url("target-detail", target.pk)).json()

    assert row["metric"] == "units_sold"
    assert row["campaign"] == campaign.pk
    assert row["actual"] == "30000.0000"
    assert row["attainment_rate"] == "0.6000"
    assert row["attainment_percent"] == "60.0"
    assert row["expected_to_date"] == "50000.0000"
    assert row["pace"] is None
    assert row["status"] == "off_track"


def test_a_running_target_shows_its_pace(client_as):
    today = timezone.localdate()
    plan = AnnualPlanFactory(year=today.year)
    # 20 days, 10 of them elapsed by the end of today: half the target is expected.
    target = TargetFactory(
        campaign=None,
        plan=plan,
        target_value=Decimal("1000"),
        period_start=today - timedelta(days=9),
        period_end=today + timedelta(days=10),
    )
    MetricValueFactory(campaign=None, plan=plan, date=today, value=Decimal("400"))
    client = client_as(Role.STAFF)

    row = client.get(url("target-detail", target.pk)).json()

    assert (row["actual"], row["expected_to_date"], row["pace"]) == ("400.0000", "500.0000", "0.8000")
    assert row["status"] == "at_risk"


def test_targets_as_csv_carry_the_attainment_columns(token_client):
    campaign = CampaignFactory()
    TargetFactory(campaign=campaign, target_value=Decimal("200"))
    MetricValueFactory(campaign=campaign, value=Decimal("50"))

    response = token_client.get(url("target-list"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert {key: rows[0][key] for key in ("metric", "actual", "attainment_rate", "attainment_percent", "status")} == {
        "metric": "units_sold",
        "actual": "50.0000",
        "attainment_rate": "0.2500",
        "attainment_percent": "25.0",
        "status": "off_track",
    }
    assert {"expected_to_date", "pace", "q1", "q4", "baseline"} <= set(rows[0])


def test_targets_filter_by_metric_id_or_code_and_by_channel_code(client_as):
    sales = TargetFactory(metric=metric("sales_revenue"), channel=channel("online"))
    units = TargetFactory(metric=metric("units_sold"))
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("target-list"), {"metric": "sales_revenue"})) == [sales.pk]
    assert ids(client.get(url("target-list"), {"metric": metric("units_sold").pk})) == [units.pk]
    assert ids(client.get(url("target-list"), {"channel": "online"})) == [sales.pk]


def test_targets_filter_by_plan_campaign_parent_and_category(client_as):
    plan = AnnualPlanFactory()
    plan_target = TargetFactory(campaign=None, plan=plan, category="brand", metric=metric("exposure"))
    goal = TargetFactory(campaign=CampaignFactory(plan=plan))
    subgoal = TargetFactory(campaign=goal.campaign, parent=goal, target_value=Decimal("30000"))
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("target-list"), {"plan": plan.pk})) == [plan_target.pk]
    assert ids(client.get(url("target-list"), {"campaign": goal.campaign.pk})) == [goal.pk, subgoal.pk]
    assert ids(client.get(url("target-list"), {"parent": goal.pk})) == [subgoal.pk]
    assert ids(client.get(url("target-list"), {"category": "brand"})) == [plan_target.pk]
    assert ids(client.get(url("target-list"), {"top_level": "true"})) == [plan_target.pk, goal.pk]


def test_targets_filter_by_updated_after(client_as):
    old, new = TargetFactory(), TargetFactory()
    Target.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    client = client_as(Role.VIEWER)

    response = client.get(url("target-list"), {"updated_after": (timezone.now() - timedelta(days=1)).isoformat()})

    assert ids(response) == [new.pk]


def test_a_manager_adds_a_plan_target_split_by_quarter(client_as):
    plan = AnnualPlanFactory(year=2026)
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("target-list"),
        {
            "plan": plan.pk,
            "metric": "sales_revenue",
            "category": "performance",
            "baseline": "800",
            "target_value": "1000",
            "q1": "100",
            "q2": "200",
            "q3": "300",
            "q4": "400",
        },
    )

    assert response.status_code == 201, response.json()
    target = Target.objects.get()
    assert (target.plan, target.metric.code, target.target_value) == (plan, "sales_revenue", Decimal("1000"))
    assert (target.period_start, target.period_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert response.json()["status"] == "no_data"


def test_a_quarterly_split_that_does_not_add_up_is_refused_naming_q1(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("target-list"),
        {"plan": plan.pk, "metric": "units_sold", "category": "performance", "target_value": "1000", "q1": "100"},
    )

    assert response.status_code == 400
    assert "q1" in response.json()
    assert Target.objects.count() == 0


def test_a_target_of_an_unknown_metric_is_refused_naming_the_metric(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("target-list"), {"plan": plan.pk, "metric": "happiness", "category": "brand", "target_value": "10"}
    )

    assert response.status_code == 400
    assert "metric" in response.json()
    assert Target.objects.count() == 0


def test_a_target_of_neither_plan_nor_campaign_is_refused_naming_the_plan(client_as):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("target-list"), {"metric": "units_sold", "category": "performance", "target_value": "1"})

    assert response.status_code == 400
    assert "plan" in response.json()
    assert Target.objects.count() == 0


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_add_plan_targets(client_as, who):
    plan = AnnualPlanFactory()
    client = client_as(who)

    response = client.post(
        url("target-list"), {"plan": plan.pk, "metric": "units_sold", "category": "performance", "target_value": "10"}
    )

    assert response.status_code == 403
    assert Target.objects.count() == 0


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_change_or_delete_plan_targets(client_as, who):
    target = TargetFactory(campaign=None, plan=AnnualPlanFactory(), target_value=Decimal("100"))
    client = client_as(who)

    changed = client.patch(url("target-detail", target.pk), {"target_value": "1"})
    deleted = client.delete(url("target-detail", target.pk))

    assert (changed.status_code, deleted.status_code) == (403, 403)
    target.refresh_from_db()
    assert target.target_value == Decimal("100")


def test_a_campaign_owner_adds_a_goal_and_a_sub_goal_to_their_campaign(client_as, make_user):
    owner = make_user(Role.STAFF)
    campaign = CampaignFactory(owner=owner)
    client = client_as(owner)

    goal = client.post(
        url("target-list"),
        {"campaign": campaign.pk, "metric": "units_sold", "category": "performance", "target_value": "50000"},
    )
    subgoal = client.post(
        url("target-list"),
        {
            "parent": goal.json()["id"],
            "metric": "units_sold",
            "category": "performance",
            "channel": "online",
            "target_value": "30000",
        },
    )

    assert (goal.status_code, subgoal.status_code) == (201, 201), subgoal.json()
    assert subgoal.json()["campaign"] == campaign.pk
    assert subgoal.json()["channel"] == "online"
    assert Target.objects.get(pk=subgoal.json()["id"]).parent_id == goal.json()["id"]


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_people_other_than_the_owner_and_managers_cannot_add_campaign_goals(client_as, who):
    goal = TargetFactory()
    client = client_as(who)

    response = client.post(
        url("target-list"),
        {"parent": goal.pk, "metric": "units_sold", "category": "performance", "target_value": "100"},
    )

    assert response.status_code == 403
    assert Target.objects.count() == 1


def test_sub_goals_adding_up_to_more_than_their_goal_are_refused_naming_the_target_value(client_as):
    goal = TargetFactory(target_value=Decimal("50000"))
    TargetFactory(campaign=goal.campaign, parent=goal, target_value=Decimal("30000"), channel=channel("online"))
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("target-list"),
        {
            "parent": goal.pk,
            "metric": "units_sold",
            "category": "performance",
            "channel": "offline",
            "target_value": "30000",
        },
    )

    assert response.status_code == 400
    assert "target_value" in response.json()
    assert Target.objects.count() == 2


def test_a_manager_changes_a_target_and_sees_its_new_attainment(client_as):
    campaign = CampaignFactory()
    target = TargetFactory(campaign=campaign, target_value=Decimal("200"))
    MetricValueFactory(campaign=campaign, value=Decimal("150"))
    client = client_as(Role.MARKETING_MANAGER)

    response = client.patch(url("target-detail", target.pk), {"target_value": "100"})

    assert response.status_code == 200, response.json()
    assert (response.json()["attainment_percent"], response.json()["status"]) == ("150.0", "on_track")
    target.refresh_from_db()
    assert target.target_value == Decimal("100")


def test_a_manager_deletes_a_goal_with_its_sub_goals(client_as):
    goal = TargetFactory()
    TargetFactory(campaign=goal.campaign, parent=goal, target_value=Decimal("1000"))
    client = client_as(Role.MARKETING_MANAGER)

    response = client.delete(url("target-detail", goal.pk))

    assert response.status_code == 204
    assert Target.objects.count() == 0


# Budget lines -----------------------------------------------------------------------------


def test_budget_line_shares_are_of_the_plan_budget(client_as):
    plan = AnnualPlanFactory(budget=Decimal("1000000"))
    line = BudgetLineFactory(plan=plan, planned_amount=Decimal("250000"), channel=channel("online"))
    client = client_as(Role.VIEWER)

    row = results(client.get(url("budget-line-list")))[0]

    assert row["id"] == line.pk
    assert (row["channel"], row["share_percent"]) == ("online", "25.0")


def test_budget_line_shares_are_of_the_sum_of_lines_when_the_plan_has_no_budget(client_as):
    plan = AnnualPlanFactory(budget=None)
    BudgetLineFactory(plan=plan, planned_amount=Decimal("300"))
    BudgetLineFactory(plan=plan, planned_amount=Decimal("100"), category="people")
    BudgetLineFactory(planned_amount=Decimal("999"))  # another plan's
    client = client_as(Role.VIEWER)

    rows = results(client.get(url("budget-line-list"), {"plan": plan.pk, "ordering": "-planned_amount"}))

    assert [row["share_percent"] for row in rows] == ["75.0", "25.0"]


def test_a_manager_adds_a_budget_line_on_a_channel(client_as):
    plan = AnnualPlanFactory(budget=Decimal("1000"))
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("budget-line-list"),
        {"plan": plan.pk, "category": "channel", "channel": "ecommerce", "planned_amount": "100"},
    )

    assert response.status_code == 201, response.json()
    assert response.json()["share_percent"] == "10.0"
    assert BudgetLine.objects.get().channel == channel("ecommerce")


def test_a_negative_planned_amount_is_refused_naming_the_field(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("budget-line-list"), {"plan": plan.pk, "category": "people", "planned_amount": "-5"})

    assert response.status_code == 400
    assert "planned_amount" in response.json()
    assert BudgetLine.objects.count() == 0


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_add_or_change_budget_lines(client_as, who):
    line = BudgetLineFactory(planned_amount=Decimal("100"))
    client = client_as(who)

    created = client.post(url("budget-line-list"), {"plan": line.plan.pk, "category": "people", "planned_amount": "5"})
    changed = client.patch(url("budget-line-detail", line.pk), {"planned_amount": "1"})

    assert (created.status_code, changed.status_code) == (403, 403)
    assert list(BudgetLine.objects.values_list("planned_amount", flat=True)) == [Decimal("100")]


def test_budget_lines_filter_by_plan_category_and_channel(client_as):
    plan = AnnualPlanFactory()
    online = BudgetLineFactory(plan=plan, category="channel", channel=channel("online"))
    people = BudgetLineFactory(plan=plan, category="people")
    BudgetLineFactory(category="people")
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("budget-line-list"), {"plan": plan.pk, "category": "people"})) == [people.pk]
    assert ids(client.get(url("budget-line-list"), {"channel": "online"})) == [online.pk]


# Campaigns --------------------------------------------------------------------------------


def campaign_input(plan, **fields):
    return {
        "plan": plan.pk,
        "name": "618 promotion",
        "type": "promotion",
        "start_date": "2026-06-01",
        "end_date": "2026-06-18",
        "budget": "300000",
        **fields,
    }


def test_a_manager_creates_a_campaign_in_planning_that_they_own(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("campaign-list"), campaign_input(plan))

    assert response.status_code == 201, response.json()
    campaign = Campaign.objects.get()
    assert (campaign.name, campaign.owner, campaign.status) == ("618 promotion", client.user, CampaignStatus.PLANNING)
    assert response.json()["owner_name"] == client.user.display_name


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_create_campaigns(client_as, who):
    plan = AnnualPlanFactory()
    client = client_as(who)

    response = client.post(url("campaign-list"), campaign_input(plan))

    assert response.status_code == 403
    assert Campaign.objects.count() == 0


def test_a_campaign_ending_before_it_starts_is_refused_naming_the_end_date(client_as):
    plan = AnnualPlanFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("campaign-list"), campaign_input(plan, end_date="2026-05-01"))

    assert response.status_code == 400
    assert "end_date" in response.json()
    assert Campaign.objects.count() == 0


def test_the_owner_of_a_campaign_changes_it(client_as, make_user):
    owner = make_user(Role.STAFF)
    campaign = CampaignFactory(owner=owner, name="Launch")
    client = client_as(owner)

    response = client.patch(url("campaign-detail", campaign.pk), {"name": "Spring launch", "status": "archived"})

    assert response.status_code == 200, response.json()
    campaign.refresh_from_db()
    assert (campaign.name, campaign.status) == ("Spring launch", CampaignStatus.PLANNING)


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_people_other_than_the_owner_and_managers_cannot_change_a_campaign(client_as, who):
    campaign = CampaignFactory(name="Launch")
    client = client_as(who)

    response = client.patch(url("campaign-detail", campaign.pk), {"name": "Hijacked"})

    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.name == "Launch"


def test_the_owner_moves_a_campaign_forward_one_step(client_as, make_user):
    owner = make_user(Role.STAFF)
    campaign = CampaignFactory(owner=owner)
    client = client_as(owner)

    response = client.post(url("campaign-status", campaign.pk), {"status": "executing"})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "executing"
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.EXECUTING


def test_a_campaign_cannot_skip_a_step_and_the_error_names_the_status(client_as):
    campaign = CampaignFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("campaign-status", campaign.pk), {"status": "archived"})

    assert response.status_code == 400
    assert "status" in response.json()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PLANNING


def test_an_administrator_forces_a_campaign_back_to_planning(client_as):
    campaign = CampaignFactory(status=CampaignStatus.REVIEWING)
    client = client_as("admin")

    response = client.post(url("campaign-status", campaign.pk), {"status": "planning", "force": True})

    assert response.status_code == 200, response.json()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PLANNING


def test_only_administrators_may_force_a_campaign_status(client_as):
    campaign = CampaignFactory(status=CampaignStatus.REVIEWING)
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("campaign-status", campaign.pk), {"status": "planning", "force": True})

    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.REVIEWING


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_people_other_than_the_owner_and_managers_cannot_move_a_campaign(client_as, who):
    campaign = CampaignFactory()
    client = client_as(who)

    response = client.post(url("campaign-status", campaign.pk), {"status": "executing"})

    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PLANNING


def test_campaigns_filter_by_plan_status_type_and_owner(client_as):
    owner = UserFactory()
    plan = AnnualPlanFactory()
    launch = CampaignFactory(plan=plan, type="launch", owner=owner)
    promotion = CampaignFactory(plan=plan, type="promotion", status=CampaignStatus.EXECUTING)
    elsewhere = CampaignFactory(type="brand")
    client = client_as(Role.DEPARTMENT_LEAD)

    assert ids(client.get(url("campaign-list"), {"plan": plan.pk})) == [launch.pk, promotion.pk]
    assert ids(client.get(url("campaign-list"), {"status": "executing"})) == [promotion.pk]
    assert ids(client.get(url("campaign-list"), {"type": "brand"})) == [elsewhere.pk]
    assert ids(client.get(url("campaign-list"), {"owner": owner.pk})) == [launch.pk]


def test_campaigns_filter_by_dates_and_updated_after(client_as):
    spring = CampaignFactory(start_date=date(2026, 3, 1), end_date=date(2026, 3, 31))
    summer = CampaignFactory(start_date=date(2026, 6, 1), end_date=date(2026, 6, 18))
    Campaign.objects.filter(pk=spring.pk).update(updated_at=timezone.now() - timedelta(days=7))
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("campaign-list"), {"start_date_after": "2026-05-01"})) == [summer.pk]
    assert ids(client.get(url("campaign-list"), {"end_date_before": "2026-03-31"})) == [spring.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(client.get(url("campaign-list"), {"updated_after": since})) == [summer.pk]


# Metric values ----------------------------------------------------------------------------


@pytest.fixture
def owned_campaign(make_user):
    """A campaign owned by a staff member, who records its values."""
    return CampaignFactory(owner=make_user(Role.STAFF, username="owner"))


def value_input(campaign, **fields):
    return {"metric": "units_sold", "campaign": campaign.pk, "date": "2026-06-10", "value": "120", **fields}


def test_the_campaign_owner_records_a_value(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)

    response = client.post(url("metric-value-list"), value_input(owned_campaign, channel="online"))

    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 1, "updated": 0}
    value = MetricValue.objects.get()
    assert (value.plan, value.channel, value.value) == (owned_campaign.plan, channel("online"), Decimal("120"))
    assert (value.source, value.recorded_by) == (ValueSource.API, owned_campaign.owner)


def test_recording_the_same_value_again_updates_it(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)
    client.post(url("metric-value-list"), value_input(owned_campaign, value="120"))

    response = client.post(url("metric-value-list"), value_input(owned_campaign, value="150"))

    assert response.status_code == 200
    assert response.json() == {"created": 0, "updated": 1}
    assert list(MetricValue.objects.values_list("value", flat=True)) == [Decimal("150")]


def test_a_bad_single_value_is_refused_naming_the_field(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)

    response = client.post(url("metric-value-list"), value_input(owned_campaign, value="-3"))

    assert response.status_code == 400
    assert "value" in response.json()
    assert MetricValue.objects.count() == 0


def test_a_bulk_of_values_is_recorded_from_a_json_list(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)
    rows = [value_input(owned_campaign, date=f"2026-06-0{day}", value=str(day * 10)) for day in (1, 2, 3)]

    response = client.post(url("metric-value-bulk"), rows)

    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 3, "updated": 0}
    assert sorted(MetricValue.objects.values_list("value", flat=True)) == [Decimal(10), Decimal(20), Decimal(30)]


def test_a_bulk_given_as_an_object_updates_values_already_there(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)
    client.post(url("metric-value-list"), value_input(owned_campaign, date="2026-06-01", value="1"))

    response = client.post(
        url("metric-value-bulk"),
        {"values": [value_input(owned_campaign, date="2026-06-01", value="5"), value_input(owned_campaign)]},
    )

    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 1, "updated": 1}
    assert MetricValue.objects.count() == 2


def test_a_bad_row_names_its_number_and_field_and_nothing_is_recorded(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)
    rows = [value_input(owned_campaign), value_input(owned_campaign, date="2026-06-11", value="-5")]

    response = client.post(url("metric-value-bulk"), rows)

    assert response.status_code == 400
    assert list(response.json()["rows"]) == ["2"]
    assert "value" in response.json()["rows"]["2"]
    assert MetricValue.objects.count() == 0


def test_unknown_codes_and_missing_fields_name_their_row_and_field(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)
    rows = [
        value_input(owned_campaign, metric="happiness"),
        value_input(owned_campaign, channel="moon"),
        {"metric": "units_sold", "campaign": owned_campaign.pk, "value": "1"},
    ]

    response = client.post(url("metric-value-bulk"), rows)

    assert response.status_code == 400
    errors = response.json()["rows"]
    assert (list(errors["1"]), list(errors["2"]), list(errors["3"])) == (["metric"], ["channel"], ["date"])
    assert MetricValue.objects.count() == 0


def test_a_campaign_of_another_plan_is_refused_naming_the_campaign(client_as, owned_campaign):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("metric-value-list"), value_input(owned_campaign, plan=AnnualPlanFactory().pk))

    assert response.status_code == 400
    assert "campaign" in response.json()
    assert MetricValue.objects.count() == 0


def test_a_value_dated_in_the_future_is_refused_naming_the_date(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client.post(url("metric-value-list"), value_input(owned_campaign, date=tomorrow))

    assert response.status_code == 400
    assert "date" in response.json()
    assert MetricValue.objects.count() == 0


def test_an_empty_bulk_is_refused_naming_the_values(client_as):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("metric-value-bulk"), {"values": []})

    assert response.status_code == 400
    assert "values" in response.json()


def test_one_row_for_a_campaign_someone_else_owns_refuses_the_whole_bulk(client_as, owned_campaign):
    someone_elses = CampaignFactory(plan=owned_campaign.plan)
    client = client_as(owned_campaign.owner)

    response = client.post(
        url("metric-value-bulk"), [value_input(owned_campaign), value_input(someone_elses, date="2026-06-11")]
    )

    assert response.status_code == 403
    assert "2" in response.json()["detail"]
    assert MetricValue.objects.count() == 0


def test_plan_level_values_are_recorded_by_managers_only(client_as, owned_campaign):
    plan_value = {"metric": "sales_revenue", "plan": owned_campaign.plan.pk, "date": "2026-06-10", "value": "9"}

    by_owner = client_as(owned_campaign.owner).post(url("metric-value-list"), plan_value)
    count_after_owner = MetricValue.objects.count()
    by_manager = client_as(Role.MARKETING_MANAGER).post(url("metric-value-list"), plan_value)

    assert (by_owner.status_code, count_after_owner) == (403, 0)
    assert by_manager.status_code == 201
    assert MetricValue.objects.get().campaign is None


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_people_other_than_the_owner_and_managers_cannot_record_values(client_as, owned_campaign, who):
    client = client_as(who)

    single = client.post(url("metric-value-list"), value_input(owned_campaign))
    bulk = client.post(url("metric-value-bulk"), [value_input(owned_campaign)])

    assert (single.status_code, bulk.status_code) == (403, 403)
    assert MetricValue.objects.count() == 0


def test_a_manager_records_values_for_any_campaign(client_as, owned_campaign):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("metric-value-bulk"), [value_input(owned_campaign)])

    assert response.status_code == 201
    assert MetricValue.objects.get().recorded_by == client.user


def test_metric_values_filter_by_metric_channel_campaign_and_plan(client_as):
    units = MetricValueFactory(channel=channel("online"))
    sales = MetricValueFactory(metric=metric("sales_revenue"))
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("metric-value-list"), {"metric": "sales_revenue"})) == [sales.pk]
    assert ids(client.get(url("metric-value-list"), {"metric": metric("units_sold").pk})) == [units.pk]
    assert ids(client.get(url("metric-value-list"), {"channel": "online"})) == [units.pk]
    assert ids(client.get(url("metric-value-list"), {"campaign": sales.campaign.pk})) == [sales.pk]
    assert ids(client.get(url("metric-value-list"), {"plan": units.plan.pk})) == [units.pk]


def test_metric_values_filter_by_dates_source_and_recorded_after(client_as):
    campaign = CampaignFactory()
    early = MetricValueFactory(campaign=campaign, date=date(2026, 6, 1), source=ValueSource.IMPORT)
    late = MetricValueFactory(campaign=campaign, date=date(2026, 6, 20), source=ValueSource.API)
    MetricValue.objects.filter(pk=early.pk).update(recorded_at=timezone.now() - timedelta(days=2))
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("metric-value-list"), {"date_after": "2026-06-10"})) == [late.pk]
    assert ids(client.get(url("metric-value-list"), {"date_before": "2026-06-01"})) == [early.pk]
    assert ids(client.get(url("metric-value-list"), {"source": "import"})) == [early.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(client.get(url("metric-value-list"), {"updated_after": since})) == [late.pk]


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
        key = metric_value_key(
            metric_id=metric("units_sold").pk,
            plan_id=campaign.plan_id,
            campaign_id=campaign.pk,
            channel_id=None,
            date=day,
        )
        rows.append(
            MetricValue(
                metric=metric("units_sold"),
                plan=campaign.plan,
                campaign=campaign,
                date=day,
                value=Decimal(n),
                recorded_by=recorder,
                natural_key=key,
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


# Schema -----------------------------------------------------------------------------------


def test_the_api_schema_generates_without_warnings():
    GENERATOR_STATS.reset()

    assert schema_check(None) == []
