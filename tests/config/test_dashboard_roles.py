"""The dashboard by role: executives get the plan's headline targets and every critical alert;
department leads their people's overdue and blocked tasks and their department's issues; each
role's dashboard runs the same number of queries whatever the data."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from plans.models import PlanStatus
from tasks import services as task_services
from tasks.models import TaskStatus
from tests.factories import (
    AnnualPlanFactory,
    CampaignFactory,
    DepartmentFactory,
    TargetFactory,
    TaskFactory,
    ThresholdFactory,
    UserFactory,
    metric,
    open_alert,
)
from tracking.models import AlertState, Issue, IssueState, Severity

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def critical_alert(summary: str, *, severity=Severity.CRITICAL):
    return open_alert(ThresholdFactory(severity=severity), summary=summary)


def dashboard(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("dashboard")).content.decode()


def test_an_executive_sees_every_critical_alert_even_those_they_were_not_told_about(client, make_user):
    critical_alert("销量达成率低于 80%")
    critical_alert("里程碑逾期未达成")
    critical_alert("互动率低于行业均值", severity=Severity.WARNING)
    resolved = critical_alert("已解决的严重预警")
    resolved.state = AlertState.RESOLVED
    resolved.save()

    html = dashboard(client, make_user(Role.EXECUTIVE))

    assert 'id="critical-alerts"' in html
    assert "销量达成率低于 80%" in html
    assert "里程碑逾期未达成" in html
    assert "互动率低于行业均值" not in html
    assert "已解决的严重预警" not in html
    assert "No open alerts for you." not in html


def test_an_executive_sees_the_active_plans_headline_targets_with_their_attainment(client, make_user):
    plan = AnnualPlanFactory(status=PlanStatus.ACTIVE, title="年度营销计划")
    sales = TargetFactory(
        plan=plan, campaign=None, metric=metric("sales_revenue"), name="销售额", target_value=Decimal(120_000_000)
    )
    TargetFactory(plan=plan, campaign=None, parent=sales, name="线上销售额", target_value=Decimal(1))
    draft = AnnualPlanFactory(status=PlanStatus.DRAFT, year=2027)
    TargetFactory(plan=draft, campaign=None, name="草案目标")
    client.force_login(make_user(Role.EXECUTIVE))

    response = client.get(reverse("dashboard"))

    html = response.content.decode()
    assert 'id="plan-kpis"' in html
    [shown] = response.context["plans"]
    assert [kpi.label for kpi in shown.kpis] == ["销售额"]  # the headline, not its sub-goal
    assert shown.kpis[0].attainment is not None
    assert "¥120,000,000" in html
    assert "草案目标" not in html


def test_staff_get_neither_the_plan_roll_up_nor_the_critical_alerts(client, staff_user):
    critical_alert("销量达成率低于 80%")
    AnnualPlanFactory(status=PlanStatus.ACTIVE)

    html = dashboard(client, staff_user)

    assert 'id="plan-kpis"' not in html
    assert 'id="critical-alerts"' not in html
    assert 'id="my-alerts"' in html


def test_a_department_lead_sees_their_peoples_overdue_and_blocked_tasks_and_not_others(client, make_user, today):
    ecommerce, sales = DepartmentFactory(name="电商运营部"), DepartmentFactory(name="销售部")
    lead = make_user(Role.DEPARTMENT_LEAD, department=ecommerce)
    ecommerce.lead = lead
    ecommerce.save()
    mine = make_user(Role.STAFF, department=ecommerce)
    theirs = make_user(Role.STAFF, department=sales)
    TaskFactory(responsible=mine, name="私域社群预售", due_date=today - timedelta(days=1))
    blocked = TaskFactory(responsible=mine, name="新品详情页上线", due_date=today)  # due today: not overdue
    task_services.task_set_status(task=blocked, status=TaskStatus.BLOCKED, note="设计素材未到位", by=mine)
    TaskFactory(responsible=mine, name="按时的任务", due_date=today)
    TaskFactory(responsible=theirs, name="别的部门的逾期任务", due_date=today - timedelta(days=3))

    client.force_login(lead)
    response = client.get(reverse("dashboard"))

    html = response.content.decode()
    team = response.context["team"]
    assert [task.name for task in team["overdue"]] == ["私域社群预售"]
    assert [task.name for task in team["blocked"]] == ["新品详情页上线"]
    assert "设计素材未到位" in html
    assert "按时的任务" not in html
    assert "别的部门的逾期任务" not in html


def test_a_department_lead_sees_their_departments_unresolved_issues(client, make_user):
    ecommerce, sales = DepartmentFactory(name="电商运营部"), DepartmentFactory(name="销售部")
    lead = make_user(Role.DEPARTMENT_LEAD, department=ecommerce)
    campaign = CampaignFactory()
    for description, department, state in (
        ("详情页加载慢", ecommerce, IssueState.OPEN),
        ("库存预警已缓解", ecommerce, IssueState.MITIGATED),
        ("已解决的问题", ecommerce, IssueState.RESOLVED),
        ("销售部的问题", sales, IssueState.OPEN),
    ):
        Issue.objects.create(
            campaign=campaign,
            description=description,
            occurred_at=timezone.make_aware(datetime.combine(campaign.start_date, time(9))),
            department=department,
            state=state,
        )

    html = dashboard(client, lead)

    assert 'id="department-issues"' in html
    assert "详情页加载慢" in html
    assert "库存预警已缓解" in html
    assert "已解决的问题" not in html
    assert "销售部的问题" not in html


def test_people_who_lead_no_department_get_no_team_section(client, staff_user):
    assert 'id="team-tasks"' not in dashboard(client, staff_user)


def _fill(size: int, *, lead, department, today):
    """`size` of everything each role's dashboard lists."""
    plan = AnnualPlanFactory(status=PlanStatus.ACTIVE) if not _active_plan() else _active_plan()
    campaign = CampaignFactory(plan=plan, owner=lead, status="executing")
    for n in range(size):
        person = UserFactory(roles=[Role.STAFF], department=department)
        TaskFactory(responsible=person, stage__campaign=campaign, due_date=today - timedelta(days=1))
        blocked = TaskFactory(responsible=lead, stage__campaign=campaign, due_date=today + timedelta(days=3))
        task_services.task_set_status(task=blocked, status=TaskStatus.BLOCKED, note=f"reason {n}", by=lead)
        TargetFactory(plan=plan, campaign=None, target_value=Decimal(100 + n))
        TargetFactory(campaign=campaign, target_value=Decimal(100 + n))
        critical_alert(f"critical {n}")
        open_alert(ThresholdFactory(target=TargetFactory(campaign=campaign)), summary=f"mine {n}")
        Issue.objects.create(
            campaign=campaign, description=f"issue {n}", occurred_at=timezone.now(), department=department
        )


def _active_plan():
    from plans.models import AnnualPlan

    return AnnualPlan.objects.filter(status=PlanStatus.ACTIVE).first()


# Each includes one for the adjustments awaiting the person's approval; My tasks' summary is
# two (each group's count, the first blocked tasks). With the targets' actuals in the cache
# (plans.actuals): what nearly every load runs.
DASHBOARD_QUERIES = {
    Role.MARKETING_MANAGER: 17,
    Role.EXECUTIVE: 20,
    Role.STAFF: 16,
    Role.DEPARTMENT_LEAD: 22,
    Role.VIEWER: 17,
}
# The first load after values were recorded computes the actuals again: one query for the
# campaigns' goals, one for the plans' headline targets where the role reads them.
COMPUTING_ACTUALS = {
    Role.MARKETING_MANAGER: 2,
    Role.EXECUTIVE: 2,
    Role.STAFF: 1,
    Role.DEPARTMENT_LEAD: 1,
    Role.VIEWER: 2,
}


@pytest.mark.parametrize("role", list(DASHBOARD_QUERIES))
def test_each_roles_dashboard_runs_the_same_queries_for_1_and_12_of_everything(
    client, make_user, count_queries, fresh_cache, today, role
):
    department = DepartmentFactory(name="电商运营部")
    user = make_user(role, department=department)
    department.lead = user if role == Role.DEPARTMENT_LEAD else None
    department.save()
    client.force_login(user)
    _fill(1, lead=user, department=department, today=today)
    client.get(reverse("dashboard"))

    small = count_queries(lambda: client.get(reverse("dashboard")))
    fresh_cache.clear()
    small_computing = count_queries(lambda: client.get(reverse("dashboard")))
    _fill(11, lead=user, department=department, today=today)
    fresh_cache.clear()
    large_computing = count_queries(lambda: client.get(reverse("dashboard")))
    large = count_queries(lambda: client.get(reverse("dashboard")))

    assert (small, large) == (DASHBOARD_QUERIES[role], DASHBOARD_QUERIES[role])
    computing = DASHBOARD_QUERIES[role] + COMPUTING_ACTUALS[role]
    assert (small_computing, large_computing) == (computing, computing)
