"""What a row of an imported Form 1 may say: stages, people and statuses in Chinese or English,
the template's own example rows, CSV in UTF-8 or GB18030, XLSX with date cells, and the
columns after the template's (Accountable, Consulted, Informed, start, progress)."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from accounts.models import Role
from tasks.imports import import_tasks
from tasks.models import Task
from tests.factories import DepartmentFactory, UserFactory
from tests.tasks.files.form_1 import FORM_1_HEADERS, csv_file, xlsx_file

pytestmark = pytest.mark.django_db


def test_a_new_task_gets_the_campaign_owner_as_accountable_and_the_status_with_its_note(manager, campaign, owner, team):
    rows = [
        FORM_1_HEADERS,
        ["Landing page", "Launch and promotion", "", "li", "", "2026-06-10", "", "in progress"],
        ["Stock check", "产品筹备", "", "韩梅梅", "", "2026-06-03", "", "已完成"],
        ["Printer", "warm-up", "", "wang", "", "2026-06-04", "", "blocked"],
        ["Press kit", "售后复盘", "", "wang", "", "2026-06-20", "", "not_started"],
    ]

    result = import_tasks(file=csv_file(rows), campaign=campaign, user=manager)

    assert result.ok, result.errors
    tasks = {task.name: task for task in Task.objects.filter(campaign=campaign)}
    assert {task.accountable for task in tasks.values()} == {owner}
    assert tasks["Landing page"].stage.name_zh == "正式推广"
    assert {name: task.status for name, task in tasks.items()} == {
        "Landing page": "in_progress",
        "Stock check": "done",
        "Printer": "blocked",
        "Press kit": "not_started",
    }
    assert tasks["Landing page"].updates.first().note == "Imported"
    assert tasks["Stock check"].updates.first().note == "Imported from file"
    assert tasks["Printer"].updates.first().note == "Imported from file"
    assert tasks["Press kit"].updates.count() == 1  # only its creation


def test_the_templates_three_example_rows_import_when_their_people_and_departments_exist(manager, campaign):
    for username, name in (("ec", "电商运营*专员"), ("mk", "市场推广*主管"), ("ch", "渠道管理*专员")):
        UserFactory(username=username, name=name, roles=[Role.STAFF])
    for name in ("产品部", "设计部", "外部媒介团队", "销售部", "物流部"):
        DepartmentFactory(name=name)
    rows = [
        [
            "任务名称",
            "所属阶段",
            "任务描述",
            "负责人",
            "协作部门",
            "截止时间",
            "交付标准",
            "状态(□未开始□进行中□已完成□受阻)",
        ],
        [
            "新品详情页上线",
            "正式推广",
            "完成电商平台新品详情页制作与上线",
            "电商运营*专员",
            "产品部、设计部",
            "2024-06-10",
            "详情页通过审核,商品可正常访问",
            "□未开始",
        ],
        [
            "KOL视频发布",
            "预热宣传",
            "合作3位腰部KOL发布新品测评视频",
            "市场推广*主管",
            "外部媒介团队",
            "2024-06-05",
            "视频播放量≥5万,互动率≥3%",
            "□进行中",
        ],
        [
            "线下门店物料铺货",
            "产品筹备",
            "向100家合作门店铺货新品海报、手册",
            "渠道管理*专员",
            "销售部、物流部",
            "2024-06-08",
            "90%以上门店物料到位,签收确认完整",
            "□未开始",
        ],
    ]

    result = import_tasks(file=csv_file(rows, encoding="utf-8-sig"), campaign=campaign, user=manager)

    assert result.ok, result.errors
    assert result.created == 3
    kol = Task.objects.get(name="KOL视频发布")
    assert (kol.stage.name_zh, kol.responsible.name, kol.status) == ("预热宣传", "市场推广*主管", "in_progress")
    assert sorted(d.name for d in Task.objects.get(name="线下门店物料铺货").departments.all()) == ["物流部", "销售部"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_file_in_utf8_with_or_without_bom_or_in_gb18030_imports(manager, campaign, team, encoding):
    rows = [FORM_1_HEADERS, ["详情页", "正式推广", "说明", "李雷", "产品部，设计部", "2026/6/10", "通过审核", "进行中"]]

    result = import_tasks(file=csv_file(rows, encoding=encoding), campaign=campaign, user=manager)

    assert result.ok, result.errors
    task = Task.objects.get(campaign=campaign)
    assert (task.name, task.responsible, task.status) == ("详情页", team["li"], "in_progress")
    assert task.departments.count() == 2


def test_an_xlsx_file_with_excel_date_cells_and_an_accountable_column_imports(manager, campaign, team):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*FORM_1_HEADERS, "审批人", "咨询人", "知会人", "开始时间", "进度"])
    sheet.append(
        [
            "A",
            "产品筹备",
            None,
            "li",
            "销售部",
            date(2026, 6, 10),
            None,
            "进行中",
            "han",
            "wang",
            "设计部",
            46174,
            30,
        ]
    )
    output = io.BytesIO()
    workbook.save(output)

    result = import_tasks(file=xlsx_file(output.getvalue()), campaign=campaign, user=manager)

    assert result.ok, result.errors
    task = Task.objects.get(campaign=campaign)
    assert (task.due_date, task.start_date, task.accountable, task.progress) == (
        date(2026, 6, 10),
        date(2026, 6, 1),
        team["han"],
        30,
    )
    assert sorted((a.role, str(a.user or a.department)) for a in task.assignments.all()) == [
        ("C", "王芳"),
        ("I", "设计部"),
    ]


def test_an_english_header_row_under_the_chinese_one_is_skipped(manager, campaign, team):
    rows = [
        FORM_1_HEADERS,
        [
            "Task name",
            "Stage",
            "Task description",
            "Responsible",
            "Collaborating departments",
            "Deadline",
            "Deliverable standard",
            "Status",
        ],
        ["A", "产品筹备", "", "li", "", "2026-06-10", "", "未开始"],
    ]

    result = import_tasks(file=csv_file(rows), campaign=campaign, user=manager)

    assert result.ok, result.errors
    assert result.created == 1
