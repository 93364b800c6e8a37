"""The plan pages: every role reads the plan list, a plan (its targets with attainment, budget
shares and campaigns, in the reader's language) and a campaign; marketing managers create
and edit plans and their targets; executives approve them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from plans.models import AnnualPlan, MetricValue, PlanStatus, Target
from tests.factories import ROLES, BudgetLineFactory, TargetFactory, metric
from tests.plans.pages import READ_ONLY_ROLES, login

pytestmark = pytest.mark.django_db


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


def test_an_executive_approves_a_draft_plan_and_a_manager_cannot(client, make_user, plan):
    login(client, make_user, Role.MARKETING_MANAGER, username="other-manager")
    refused = client.post(reverse("plans:plan_status", args=[plan.pk]), {"status": "approved"})
    assert refused.status_code == 403

    executive = login(client, make_user, Role.EXECUTIVE)
    client.post(reverse("plans:plan_status", args=[plan.pk]), {"status": "approved"})

    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_by == executive


def test_a_missing_plan_or_campaign_is_a_404(client, manager):
    client.force_login(manager)

    assert client.get(reverse("plans:plan_detail", args=[999])).status_code == 404
    assert client.get(reverse("plans:campaign_detail", args=[999])).status_code == 404
