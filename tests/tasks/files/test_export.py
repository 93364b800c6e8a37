"""Form 1 as an XLSX export of a campaign's tasks: the template's eight columns in order, a row
a task, the status in Chinese, then Accountable, Consulted and Informed; what the reader may
see and the matrix's filters decide the rows; every role may export."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from tasks.models import Assignment, Task
from tests.factories import CampaignFactory, StageFactory, UserFactory
from tests.tasks.files.form_1 import FORM_1_HEADERS, export_tasks

pytestmark = pytest.mark.django_db


def _sheet_rows(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def test_the_export_is_form_1_with_its_eight_headers_in_order(client, manager, filled_campaign):
    client.force_login(manager)

    workbook = load_workbook(io.BytesIO(export_tasks(client, filled_campaign)))

    sheet = workbook.worksheets[0]
    assert sheet.title == "表1 营销任务分解与责任矩阵表 (Task matrix)"
    header = [cell.value for cell in sheet[1]]
    assert header[:8] == FORM_1_HEADERS
    assert sheet.max_row == 1 + 3  # no second header line: a row per task


def test_the_export_has_a_row_per_task_with_names_joined_departments_a_date_and_the_chinese_status(
    client, manager, filled_campaign
):
    client.force_login(manager)

    sheet = load_workbook(io.BytesIO(export_tasks(client, filled_campaign))).worksheets[0]

    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    detail_page = rows["新品详情页上线"]
    assert [cell.value for cell in detail_page[1:5]] == [
        "正式推广",
        "完成电商平台新品详情页制作与上线",
        "李雷",
        "产品部、设计部",
    ]
    assert detail_page[5].is_date
    assert detail_page[5].value.date() == date(2026, 6, 10)
    assert detail_page[6].value == "详情页通过审核,商品可正常访问"
    assert {name: row[7].value for name, row in rows.items()} == {
        "新品详情页上线": "未开始",
        "KOL视频发布": "进行中",
        "线下门店物料铺货": "受阻",
    }


def test_the_status_is_in_chinese_whatever_the_page_language(client, manager, filled_campaign):
    manager.language = "en"
    manager.save()
    client.force_login(manager)

    rows = _sheet_rows(export_tasks(client, filled_campaign))

    assert {row[7] for row in rows[1:]} == {"未开始", "进行中", "受阻"}


def test_the_export_adds_accountable_consulted_and_informed_after_the_template_columns(
    client, manager, filled_campaign
):
    client.force_login(manager)

    rows = _sheet_rows(export_tasks(client, filled_campaign))

    header = rows[0]
    detail_page = next(row for row in rows if row[0] == "新品详情页上线")
    by_header = dict(zip(header, detail_page, strict=True))
    assert by_header["审批人"] == "韩梅梅"
    assert by_header["咨询人"] == "王芳"
    assert by_header["知会人"] == "销售部"


def test_the_english_labels_are_comments_and_a_second_sheet_not_a_row(client, manager, filled_campaign):
    client.force_login(manager)

    workbook = load_workbook(io.BytesIO(export_tasks(client, filled_campaign)))

    first = workbook.worksheets[0]
    assert first["A1"].comment.text == "Task name"
    assert first["A2"].value != "Task name"
    assert len(workbook.worksheets) == 2


def test_a_staff_member_exports_only_the_tasks_they_may_see(client, make_user, filled_campaign, team):
    staffer = make_user(Role.STAFF, username="staffer")
    Assignment.objects.create(task=Task.objects.get(name="KOL视频发布"), role="I", user=staffer)
    client.force_login(staffer)

    rows = _sheet_rows(export_tasks(client, filled_campaign))

    assert [row[0] for row in rows[1:]] == ["KOL视频发布"]


def test_the_export_follows_the_matrix_filters(client, manager, filled_campaign):
    client.force_login(manager)

    rows = _sheet_rows(export_tasks(client, filled_campaign, status="blocked"))

    assert [row[0] for row in rows[1:]] == ["线下门店物料铺货"]


def test_the_export_runs_the_same_queries_for_10_and_200_tasks(client, manager, count_queries):
    people = [UserFactory(username=f"p{n}") for n in range(3)]
    small, large = CampaignFactory(owner=manager), CampaignFactory(owner=manager)
    for campaign, count in ((small, 10), (large, 200)):
        stage = StageFactory(campaign=campaign)
        tasks = Task.objects.bulk_create(
            Task(
                campaign=campaign,
                stage=stage,
                name=f"Task {n}",
                responsible=people[n % 3],
                accountable=people[(n + 1) % 3],
                due_date=date(2026, 6, 1 + n % 28),
            )
            for n in range(count)
        )
        Assignment.objects.bulk_create(
            Assignment(task=task, role="C", user=people[(n + 2) % 3]) for n, task in enumerate(tasks)
        )
    client.force_login(manager)
    url = lambda campaign: reverse("tasks:tasks_export", args=[campaign.pk])  # noqa: E731
    client.get(url(small))

    assert count_queries(lambda: client.get(url(small))) == count_queries(lambda: client.get(url(large)))


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE, Role.DEPARTMENT_LEAD, Role.VIEWER])
def test_every_role_may_export(client, make_user, filled_campaign, role):
    client.force_login(make_user(role))

    assert client.get(reverse("tasks:tasks_export", args=[filled_campaign.pk])).status_code == 200
