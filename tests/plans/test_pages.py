from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from plans.models import AnnualPlan, BudgetLine, Campaign, MetricValue, PlanStatus, Target, metric_value_key
from tests.factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CampaignFactory,
    TargetFactory,
    channel,
    metric,
)

pytestmark = pytest.mark.django_db

ROLES = [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]
READ_ONLY_ROLES = [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]


@pytest.fixture
def plan(manager):
    return AnnualPlanFactory(year=2026, title="年度营销计划", owner=manager)


@pytest.fixture
def campaign(plan, manager):
    today = timezone.localdate()
    return CampaignFactory(
        plan=plan, owner=manager, start_date=today - timedelta(days=9), end_date=today + timedelta(days=20)
    )


def login(client, make_user, role, **fields):
    user = make_user(role, **fields)
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_plan_list_plan_and_campaign(client, make_user, campaign, role):
    login(client, make_user, role)

    for url in (
        reverse("plans:plan_list"),
        campaign.plan.get_absolute_url(),
        campaign.get_absolute_url(),
        reverse("plans:metric_list"),
    ):
        assert client.get(url).status_code == 200, url


def test_the_plan_page_shows_targets_with_attainment_budget_shares_and_campaigns(client, manager, plan, campaign):
    sales = TargetFactory(
        plan=plan,
        campaign=None,
        metric=metric("units_sold"),
        target_value=Decimal(1000),
        q1=Decimal(200),
        q2=Decimal(250),
        q3=Decimal(250),
        q4=Decimal(300),
    )
    MetricValue.objects.create(
        metric=sales.metric, plan=plan, campaign=campaign, date=campaign.start_date, value=Decimal(500)
    )
    plan.budget = Decimal(1000)
    plan.save()
    BudgetLineFactory(plan=plan, category="channel", planned_amount=Decimal(400))
    client.force_login(manager)

    html = client.get(plan.get_absolute_url()).content.decode()

    assert "Units sold" in html
    assert "50.0%" in html  # 500 of 1,000
    q1 = html[html.index('data-quarter="1"') :]
    q1 = q1[: q1.index("</tr>")]
    assert "Q1</th>" in q1
    assert "200 <span" in q1
    assert "(20%)" in q1
    assert "40.0%" in html  # 400 of a 1,000 budget
    assert campaign.name in html


def test_the_plan_page_renders_in_chinese(client, make_user, plan):
    TargetFactory(plan=plan, campaign=None, metric=metric("units_sold"))
    login(client, make_user, Role.STAFF, language="zh-hans")

    html = client.get(plan.get_absolute_url()).content.decode()

    assert "销量" in html
    assert "目标" in html
    assert "预算" in html


@pytest.mark.parametrize(("language", "budget"), [("en", "¥1,200,000"), ("zh-hans", "¥120万")])
def test_the_plan_page_reads_the_budget_in_the_readers_language(client, make_user, plan, language, budget):
    plan.budget = Decimal(1_200_000)
    plan.save()
    login(client, make_user, Role.STAFF, language=language)

    html = client.get(plan.get_absolute_url()).content.decode()

    assert budget in html


def test_a_manager_creates_a_plan_from_the_form(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("plans:plan_create"), {"year": 2027, "title": "2027 计划", "owner": manager.pk, "budget": "1000000"}
    )

    plan = AnnualPlan.objects.get(year=2027)
    assert response["Location"] == plan.get_absolute_url()
    assert plan.status == PlanStatus.DRAFT
    assert plan.history.first().history_user == manager


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_other_roles_cannot_create_or_edit_plans(client, make_user, plan, role):
    login(client, make_user, role)

    create = client.post(reverse("plans:plan_create"), {"year": 2027, "title": "x", "owner": plan.owner_id})
    edit = client.post(
        reverse("plans:plan_edit", args=[plan.pk]), {"year": 2026, "title": "changed", "owner": plan.owner_id}
    )
    target = client.post(reverse("plans:plan_target_create", args=[plan.pk]), {})

    assert (create.status_code, edit.status_code, target.status_code) == (403, 403, 403)
    assert AnnualPlan.objects.count() == 1
    plan.refresh_from_db()
    assert plan.title == "年度营销计划"


def test_a_quarterly_split_that_does_not_add_up_is_refused_with_the_difference(client, manager, plan):
    client.force_login(manager)

    response = client.post(
        reverse("plans:plan_target_create", args=[plan.pk]),
        {
            "metric": metric("sales_revenue").pk,
            "category": "performance",
            "target_value": "1000",
            "q1": "200",
            "q2": "250",
            "q3": "250",
            "q4": "200",
            "sort_order": 0,
        },
    )

    assert response.status_code == 200
    assert "adds up to 900, 100 less than the target of 1,000" in response.content.decode()
    assert not Target.objects.exists()


def test_a_sub_goal_is_added_under_a_campaign_goal(client, manager, campaign):
    goal = TargetFactory(campaign=campaign, metric=metric("units_sold"), target_value=Decimal(50000))
    client.force_login(manager)

    response = client.post(
        reverse("plans:subgoal_create", args=[goal.pk]),
        {
            "metric": goal.metric_id,
            "category": "performance",
            "channel": channel("online").pk,
            "target_value": "30000",
            "sort_order": 0,
        },
    )

    assert response.status_code == 302
    assert goal.children.get().channel.code == "online"
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert "Sub-goals add up to 30,000; 20,000 not yet split." in html


def test_a_sub_goal_above_its_parent_is_refused(client, manager, campaign):
    goal = TargetFactory(campaign=campaign, metric=metric("units_sold"), target_value=Decimal(50000))
    client.force_login(manager)

    response = client.post(
        reverse("plans:subgoal_create", args=[goal.pk]),
        {"metric": goal.metric_id, "category": "performance", "target_value": "60000", "sort_order": 0},
    )

    assert response.status_code == 200
    assert "10,000 more than the parent goal" in response.content.decode()
    assert goal.children.count() == 0


def test_an_executive_approves_a_draft_plan_and_a_manager_cannot(client, make_user, plan):
    login(client, make_user, Role.MARKETING_MANAGER, username="other-manager")
    refused = client.post(reverse("plans:plan_status", args=[plan.pk]), {"status": "approved"})
    assert refused.status_code == 403

    executive = login(client, make_user, Role.EXECUTIVE)
    client.post(reverse("plans:plan_status", args=[plan.pk]), {"status": "approved"})

    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_by == executive


def test_a_campaign_is_created_by_a_manager_and_refused_to_staff(client, make_user, manager, plan):
    login(client, make_user, Role.STAFF)
    data = {
        "name": "618 大促",
        "type": "promotion",
        "owner": manager.pk,
        "start_date": "2026-06-01",
        "end_date": "2026-06-18",
        "budget": "500000",
    }
    assert client.post(reverse("plans:campaign_create", args=[plan.pk]), data).status_code == 403
    assert not Campaign.objects.exists()

    client.force_login(manager)
    response = client.post(reverse("plans:campaign_create", args=[plan.pk]), data)

    campaign = Campaign.objects.get()
    assert response["Location"] == campaign.get_absolute_url()


def test_a_campaign_ending_before_it_starts_is_refused_naming_the_field(client, manager, plan):
    client.force_login(manager)

    response = client.post(
        reverse("plans:campaign_create", args=[plan.pk]),
        {
            "name": "x",
            "type": "promotion",
            "owner": manager.pk,
            "start_date": "2026-06-18",
            "end_date": "2026-06-01",
            "budget": "1",
        },
    )

    assert response.status_code == 200
    assert not Campaign.objects.exists()
    assert "is-invalid" in response.content.decode() or "alert-danger" in response.content.decode()


def test_the_campaign_owner_who_is_not_a_manager_edits_it_and_moves_it_forward(client, make_user, plan):
    owner = make_user(Role.STAFF, username="owner")
    campaign = CampaignFactory(plan=plan, owner=owner)
    client.force_login(owner)

    response = client.post(reverse("plans:campaign_status", args=[campaign.pk]), {"status": "executing"})

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "executing"


def test_a_campaign_cannot_move_backwards_from_the_page(client, manager, campaign):
    campaign.status = "reviewing"
    campaign.save()
    client.force_login(manager)

    client.post(reverse("plans:campaign_status", args=[campaign.pk]), {"status": "executing"}, follow=True)

    campaign.refresh_from_db()
    assert campaign.status == "reviewing"


def test_the_owner_records_several_metrics_for_one_day(client, manager, campaign):
    client.force_login(manager)
    day = timezone.localdate() - timedelta(days=1)

    response = client.post(
        reverse("plans:metric_values_record", args=[campaign.pk]),
        {
            "date": day.isoformat(),
            "channel": channel("online").pk,
            "metric_units_sold": "600",
            "metric_new_members": "380",
        },
    )

    assert response.status_code == 302
    assert MetricValue.objects.filter(campaign=campaign, date=day).count() == 2
    # Entering the same day again updates.
    client.post(
        reverse("plans:metric_values_record", args=[campaign.pk]),
        {"date": day.isoformat(), "channel": channel("online").pk, "metric_units_sold": "650"},
    )
    assert MetricValue.objects.get(campaign=campaign, date=day, metric__code="units_sold").value == Decimal(650)
    assert MetricValue.objects.filter(campaign=campaign, date=day).count() == 2


def test_an_impossible_value_is_refused_naming_the_metric_and_nothing_is_saved(client, manager, campaign):
    client.force_login(manager)

    response = client.post(
        reverse("plans:metric_values_record", args=[campaign.pk]),
        {"date": timezone.localdate().isoformat(), "metric_units_sold": "-5", "metric_conversion_rate": "3"},
    )

    assert response.status_code == 200
    assert "Units sold cannot be negative." in response.content.decode()
    assert not MetricValue.objects.exists()


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_other_roles_cannot_record_metric_values(client, make_user, campaign, role):
    login(client, make_user, role)

    response = client.post(
        reverse("plans:metric_values_record", args=[campaign.pk]),
        {"date": timezone.localdate().isoformat(), "metric_units_sold": "5"},
    )

    assert response.status_code == 403
    assert not MetricValue.objects.exists()


def _fill_plan(plan, campaign_owner, n: int):
    """n campaigns, n plan targets, n budget lines and n metric values."""
    units = metric("units_sold")
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            plan=plan,
            name=f"C{i}",
            type="launch",
            owner=campaign_owner,
            start_date=date(2026, 6, 1),
            end_date=date(2026, 6, 30),
        )
        for i in range(n)
    )
    Target.objects.bulk_create(
        Target(
            plan=plan,
            metric=units,
            category="performance",
            target_value=Decimal(1000),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        for _ in range(n)
    )
    Target.objects.bulk_create(
        Target(
            campaign=c,
            metric=units,
            category="performance",
            target_value=Decimal(100),
            period_start=c.start_date,
            period_end=c.end_date,
        )
        for c in campaigns
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(plan=plan, category="promotion", planned_amount=Decimal(10)) for _ in range(n)
    )
    MetricValue.objects.bulk_create(
        MetricValue(
            metric=units,
            plan=plan,
            campaign=campaigns[i % len(campaigns)],
            date=date(2026, 6, 1) + timedelta(days=i % 30),
            value=Decimal(1),
            natural_key=f"bench-{plan.pk}-{i}",
        )
        for i in range(n)
    )
    return campaigns


def test_the_plan_page_runs_the_same_queries_for_3_and_300_of_everything(client, manager, count_queries):
    small_plan = AnnualPlanFactory(owner=manager, year=2026)
    big_plan = AnnualPlanFactory(owner=manager, year=2026)
    _fill_plan(small_plan, manager, 3)
    _fill_plan(big_plan, manager, 300)
    client.force_login(manager)
    client.get(small_plan.get_absolute_url())

    small = count_queries(lambda: client.get(small_plan.get_absolute_url()))
    large = count_queries(lambda: client.get(big_plan.get_absolute_url()))

    assert small == large


def test_the_campaign_page_runs_the_same_queries_for_3_and_300_goals_and_values(client, manager, count_queries):
    small_plan, big_plan = AnnualPlanFactory(owner=manager), AnnualPlanFactory(owner=manager)
    small_campaign = _fill_plan(small_plan, manager, 3)[0]
    big_campaign = _fill_plan(big_plan, manager, 300)[0]
    units = metric("units_sold")
    Target.objects.bulk_create(
        Target(
            campaign=big_campaign,
            metric=units,
            category="performance",
            target_value=Decimal(10),
            period_start=date(2026, 6, 1),
            period_end=date(2026, 6, 30),
        )
        for _ in range(300)
    )
    client.force_login(manager)
    client.get(small_campaign.get_absolute_url())

    small = count_queries(lambda: client.get(small_campaign.get_absolute_url()))
    large = count_queries(lambda: client.get(big_campaign.get_absolute_url()))

    assert small == large


def test_a_missing_plan_or_campaign_is_a_404(client, manager):
    client.force_login(manager)

    assert client.get(reverse("plans:plan_detail", args=[999])).status_code == 404
    assert client.get(reverse("plans:campaign_detail", args=[999])).status_code == 404


def test_metric_value_key_helper_used_by_tests_matches_the_model():
    assert (
        metric_value_key(metric_id=1, plan_id=2, campaign_id=None, channel_id=3, date=date(2026, 1, 5))
        == "1:2:-:3:2026-01-05"
    )
