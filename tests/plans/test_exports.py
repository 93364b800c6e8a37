import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from plans.exports import XLSX_CONTENT_TYPE
from plans.models import BudgetCategory, TargetCategory
from plans.selectors import plan_detail
from tests.factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CampaignFactory,
    MetricValueFactory,
    TargetFactory,
    channel,
    metric,
)

pytestmark = pytest.mark.django_db

TARGET_HEADERS = [
    "目标 Target",
    "指标 Metric",
    "类别 Category",
    "渠道 Channel",
    "基线 Baseline",
    "目标值 Target value",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
    "实际 Actual",
    "达成率 Attainment %",
    "状态 Status",
    "方向 Direction",
]


@pytest.fixture
def plan(manager):
    return AnnualPlanFactory(year=2026, title="2026 年度营销计划", owner=manager, budget=Decimal("1000000"))


def plan_target(plan, **fields):
    return TargetFactory(plan=plan, campaign=None, **fields)


def export(client, plan):
    return client.get(reverse("plans:plan_export", args=[plan.pk]))


def workbook_of(response):
    return load_workbook(io.BytesIO(response.content))


def rows_of(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_the_export_is_an_xlsx_attachment_named_after_the_plan_year(client, manager, plan):
    client.force_login(manager)

    response = export(client, plan)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="plan-2026.xlsx"'
    assert workbook_of(response).sheetnames == ["目标 Targets", "预算 Budget"]


def test_the_targets_sheet_has_goals_with_quarterly_split_actual_and_attainment(client, manager, plan):
    sales = plan_target(
        plan,
        name="全年销量",
        metric=metric("units_sold"),
        category=TargetCategory.PERFORMANCE,
        baseline=Decimal("40000"),
        target_value=Decimal("50000"),
        q1=Decimal("10000"),
        q2=Decimal("15000"),
        q3=Decimal("12000"),
        q4=Decimal("13000"),
    )
    plan_target(
        plan,
        parent=sales,
        name="线上销量",
        metric=metric("units_sold"),
        channel=channel("online"),
        target_value=Decimal("30000"),
    )
    plan_target(plan, name="新增会员", metric=metric("new_members"), category=TargetCategory.CUSTOMER)
    campaign = CampaignFactory(plan=plan)
    MetricValueFactory(campaign=campaign, metric=metric("units_sold"), date=date(2026, 3, 1), value=Decimal("20000"))
    client.force_login(manager)

    sheet = workbook_of(export(client, plan))["目标 Targets"]
    rows = rows_of(sheet)

    assert list(rows[0]) == TARGET_HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    goal, subgoal, members = rows[1], rows[2], rows[3]
    assert goal[:10] == ("全年销量", "Units sold", "Performance", None, 40000, 50000, 10000, 15000, 12000, 13000)
    assert goal[10] == 20000
    assert goal[11] == pytest.approx(0.4)
    assert sheet["L2"].number_format == "0.0%"
    assert subgoal[0] == "线上销量"
    assert subgoal[3] == "Online"
    assert sheet["A3"].alignment.indent > 0
    assert sheet["A2"].alignment.indent == 0
    assert members[0] == "新增会员"
    assert members[2] == "Customer"
    assert members[10] is None
    assert members[12] == "no data yet"


def test_the_targets_sheet_agrees_with_the_plan_page(client, manager, plan):
    plan_target(plan, metric=metric("sales_revenue"), target_value=Decimal("800000"))
    MetricValueFactory(
        campaign=CampaignFactory(plan=plan), metric=metric("sales_revenue"), date=date(2026, 5, 1), value=100000
    )
    client.force_login(manager)

    page_target = plan_detail(plan_id=plan.pk)["targets"][0]
    row = rows_of(workbook_of(export(client, plan))["目标 Targets"])[1]

    assert row[10] == float(page_target.attainment.actual)
    assert row[11] == pytest.approx(float(page_target.attainment.percent) / 100)
    assert row[12] == page_target.attainment.status_label


def test_the_budget_sheet_has_each_line_with_its_share_and_a_total(client, manager, plan):
    BudgetLineFactory(
        plan=plan,
        category=BudgetCategory.CHANNEL,
        channel=channel("private_domain"),
        description="私域运营",
        planned_amount=Decimal("400000"),
    )
    BudgetLineFactory(plan=plan, category=BudgetCategory.PEOPLE, planned_amount=Decimal("250000.50"))
    client.force_login(manager)

    sheet = workbook_of(export(client, plan))["预算 Budget"]
    rows = rows_of(sheet)

    assert rows[0] == (
        "类别 Category",
        "渠道 Channel",
        "说明 Description",
        "计划金额 Planned amount",
        "占比 Share %",
        "已支出 Spent",
        "剩余 Remaining",
    )
    assert rows[1][:4] == ("Channels", "Private domain (community, mini program, WeCom)", "私域运营", 400000)
    assert rows[1][4] == pytest.approx(0.4)
    assert rows[2][0] == "People"
    assert rows[2][3] == pytest.approx(250000.5)
    assert rows[2][4] == pytest.approx(0.25, abs=1e-6)
    assert rows[3][0] == "合计 Total"
    assert rows[3][3] == pytest.approx(650000.5)
    assert rows[4][0] == "未分配 Unallocated"
    assert rows[4][3] == pytest.approx(349999.5)
    assert sheet["E2"].number_format == "0.0%"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def test_an_empty_plan_exports_headers_only(client, manager, plan):
    client.force_login(manager)

    workbook = workbook_of(export(client, plan))

    assert len(rows_of(workbook["目标 Targets"])) == 1
    assert rows_of(workbook["预算 Budget"])[1:] == [
        ("合计 Total", None, None, 0, 0, None, None),
        ("未分配 Unallocated", None, None, 1000000, 1, None, None),
        ("预算总额 Budget", None, None, 1000000, 1, 0, 1000000),
    ]


@pytest.mark.parametrize(
    "role", [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]
)
def test_everyone_who_reads_plans_may_export_them(client, make_user, plan, role):
    client.force_login(make_user(role))

    assert export(client, plan).status_code == 200


def test_exporting_a_missing_plan_is_not_found(client, manager):
    client.force_login(manager)

    assert client.get(reverse("plans:plan_export", args=[999999])).status_code == 404


def test_the_export_runs_the_same_number_of_queries_for_3_and_30_targets_and_budget_lines(
    client, manager, plan, count_queries
):
    client.force_login(manager)

    def add(count):
        for _ in range(count):
            goal = plan_target(plan, channel=channel("online"))
            plan_target(plan, parent=goal, channel=channel("ecommerce"), target_value=Decimal("100"))
            BudgetLineFactory(plan=plan, channel=channel("stores"))

    add(3)
    small = count_queries(lambda: export(client, plan))
    add(27)
    large = count_queries(lambda: export(client, plan))

    assert small == large
