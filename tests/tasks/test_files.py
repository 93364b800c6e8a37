"""Form 1 as a file: the XLSX export of a campaign's tasks and the CSV/XLSX import."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from tasks import services
from tasks.imports import import_tasks
from tasks.models import Assignment, Stage, StatusUpdate, Task, TaskStatus
from tests.factories import CampaignFactory, DepartmentFactory, StageFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

FORM_1_HEADERS = ["任务名称", "所属阶段", "任务描述", "负责人", "协作部门", "截止时间", "交付标准", "状态"]


def _csv_file(rows: list[list], *, encoding: str = "utf-8", name: str = "tasks.csv") -> SimpleUploadedFile:
    output = io.StringIO()
    csv.writer(output, lineterminator="\r\n").writerows(rows)
    return SimpleUploadedFile(name, output.getvalue().encode(encoding), content_type="text/csv")


def _xlsx_file(content: bytes, name: str = "tasks.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _export(client, campaign, **query) -> bytes:
    response = client.get(reverse("tasks:tasks_export", args=[campaign.pk]), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def _sheet_rows(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


@pytest.fixture
def owner(make_user):
    return make_user(Role.STAFF, username="owner", name="Owner Ou")


@pytest.fixture
def campaign(owner):
    campaign = CampaignFactory(owner=owner)
    services.stages_ensure_defaults(campaign=campaign)
    return campaign


@pytest.fixture
def team():
    product, design, sales = (DepartmentFactory(name=name) for name in ("产品部", "设计部", "销售部"))
    return {
        "li": UserFactory(username="li", name="李雷", roles=[Role.STAFF]),
        "han": UserFactory(username="han", name="韩梅梅", roles=[Role.STAFF]),
        "wang": UserFactory(username="wang", name="王芳", roles=[Role.STAFF]),
        "product": product,
        "design": design,
        "sales": sales,
    }


def _stage(campaign, name_zh: str) -> Stage:
    return campaign.stages.get(name_zh=name_zh)


@pytest.fixture
def filled_campaign(campaign, team, manager):
    """Three tasks made the way the pages make them: R, A, departments, C/I, statuses with notes."""
    launch, warm_up = _stage(campaign, "正式推广"), _stage(campaign, "预热宣传")
    detail_page = services.task_create(
        campaign=campaign,
        data=services.TaskInput(
            stage=launch,
            name="新品详情页上线",
            responsible=team["li"],
            accountable=team["han"],
            due_date=date(2026, 6, 10),
            description="完成电商平台新品详情页制作与上线",
            deliverable="详情页通过审核,商品可正常访问",
            departments=[team["product"], team["design"]],
        ),
        by=manager,
    )
    services.assignment_set(task=detail_page, role="C", user=team["wang"], by=manager)
    services.assignment_set(task=detail_page, role="I", department=team["sales"], by=manager)
    kol = services.task_create(
        campaign=campaign,
        data=services.TaskInput(
            stage=warm_up,
            name="KOL视频发布",
            responsible=team["han"],
            accountable=team["li"],
            due_date=date(2026, 6, 5),
            start_date=date(2026, 6, 1),
        ),
        by=manager,
    )
    services.task_set_status(task=kol, status=TaskStatus.IN_PROGRESS, by=team["han"], note="3 KOLs signed", progress=40)
    posters = services.task_create(
        campaign=campaign,
        data=services.TaskInput(
            stage=_stage(campaign, "产品筹备"),
            name="线下门店物料铺货",
            responsible=team["wang"],
            accountable=team["li"],
            due_date=date(2026, 6, 8),
            departments=[team["sales"]],
        ),
        by=manager,
    )
    services.task_set_status(task=posters, status=TaskStatus.BLOCKED, by=team["wang"], note="Printer late")
    return campaign


def _snapshot(campaign) -> list[tuple]:
    """A campaign's tasks as comparable plain data (no ids)."""
    tasks = Task.objects.filter(campaign=campaign).prefetch_related("departments", "assignments").order_by("name")
    return [
        (
            task.name,
            task.stage.name_zh,
            task.description,
            task.deliverable,
            task.responsible.username,
            task.accountable.username,
            task.due_date,
            task.start_date,
            task.status,
            task.progress,
            sorted(department.name for department in task.departments.all()),
            sorted((a.role, a.user.username if a.user_id else a.department.name) for a in task.assignments.all()),
        )
        for task in tasks
    ]


# Export ---------------------------------------------------------------------------------------


def test_the_export_is_form_1_with_its_eight_headers_in_order(client, manager, filled_campaign):
    client.force_login(manager)

    workbook = load_workbook(io.BytesIO(_export(client, filled_campaign)))

    sheet = workbook.worksheets[0]
    assert sheet.title == "表1 营销任务分解与责任矩阵表 (Task matrix)"
    header = [cell.value for cell in sheet[1]]
    assert header[:8] == FORM_1_HEADERS
    assert sheet.max_row == 1 + 3  # no second header line: a row per task


def test_the_export_has_a_row_per_task_with_names_joined_departments_a_date_and_the_chinese_status(
    client, manager, filled_campaign
):
    client.force_login(manager)

    sheet = load_workbook(io.BytesIO(_export(client, filled_campaign))).worksheets[0]

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

    rows = _sheet_rows(_export(client, filled_campaign))

    assert {row[7] for row in rows[1:]} == {"未开始", "进行中", "受阻"}


def test_the_export_adds_accountable_consulted_and_informed_after_the_template_columns(
    client, manager, filled_campaign
):
    client.force_login(manager)

    rows = _sheet_rows(_export(client, filled_campaign))

    header = rows[0]
    detail_page = next(row for row in rows if row[0] == "新品详情页上线")
    by_header = dict(zip(header, detail_page, strict=True))
    assert by_header["审批人"] == "韩梅梅"
    assert by_header["咨询人"] == "王芳"
    assert by_header["知会人"] == "销售部"


def test_the_english_labels_are_comments_and_a_second_sheet_not_a_row(client, manager, filled_campaign):
    client.force_login(manager)

    workbook = load_workbook(io.BytesIO(_export(client, filled_campaign)))

    first = workbook.worksheets[0]
    assert first["A1"].comment.text == "Task name"
    assert first["A2"].value != "Task name"
    assert len(workbook.worksheets) == 2


def test_a_staff_member_exports_only_the_tasks_they_may_see(client, make_user, filled_campaign, team):
    staffer = make_user(Role.STAFF, username="staffer")
    Assignment.objects.create(task=Task.objects.get(name="KOL视频发布"), role="I", user=staffer)
    client.force_login(staffer)

    rows = _sheet_rows(_export(client, filled_campaign))

    assert [row[0] for row in rows[1:]] == ["KOL视频发布"]


def test_the_export_follows_the_matrix_filters(client, manager, filled_campaign):
    client.force_login(manager)

    rows = _sheet_rows(_export(client, filled_campaign, status="blocked"))

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


# Import: round trip and re-import -----------------------------------------------------------


def test_an_exported_file_imported_into_another_campaign_creates_the_same_tasks(
    client, manager, filled_campaign, owner
):
    client.force_login(manager)
    content = _export(client, filled_campaign)
    other = CampaignFactory(owner=owner)

    result = import_tasks(file=_xlsx_file(content), campaign=other, user=manager)

    assert result.ok, result.errors
    assert (result.created, result.updated) == (3, 0)
    assert _snapshot(other) == _snapshot(filled_campaign)


def test_importing_the_same_file_again_updates_and_never_duplicates(client, manager, filled_campaign):
    client.force_login(manager)
    content = _export(client, filled_campaign)
    before = _snapshot(filled_campaign)
    updates_before = StatusUpdate.objects.count()

    result = import_tasks(file=_xlsx_file(content), campaign=filled_campaign, user=manager)

    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 3)
    assert Task.objects.filter(campaign=filled_campaign).count() == 3
    assert _snapshot(filled_campaign) == before
    assert StatusUpdate.objects.count() == updates_before  # nothing changed, nothing recorded


def test_a_reimported_row_with_changes_updates_its_task(manager, filled_campaign, team):
    task = Task.objects.get(name="新品详情页上线")
    rows = [
        FORM_1_HEADERS,
        ["新品详情页上线", "正式推广", "New text", "王芳", "设计部", "2026-06-12", "Approved", "进行中"],
    ]

    result = import_tasks(file=_csv_file(rows), campaign=filled_campaign, user=manager)

    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 1)
    task.refresh_from_db()
    assert (task.description, task.responsible, task.due_date, task.status) == (
        "New text",
        team["wang"],
        date(2026, 6, 12),
        TaskStatus.IN_PROGRESS,
    )
    assert list(task.departments.all()) == [team["design"]]
    assert task.accountable == team["han"]  # no 审批人 column: the Accountable stays
    assert not Assignment.objects.filter(task=task, user=team["wang"]).exists()  # now R, so no longer C
    assert task.updates.first().note == "Imported"


def test_a_task_of_the_same_name_in_another_stage_is_a_new_task(manager, filled_campaign):
    rows = [FORM_1_HEADERS, ["新品详情页上线", "售后复盘", "", "李雷", "", "2026-06-30", "", "未开始"]]

    result = import_tasks(file=_csv_file(rows), campaign=filled_campaign, user=manager)

    assert (result.created, result.updated) == (1, 0)
    assert Task.objects.filter(campaign=filled_campaign, name="新品详情页上线").count() == 2


# Import: what a row may say -------------------------------------------------------------------


def test_a_new_task_gets_the_campaign_owner_as_accountable_and_the_status_with_its_note(manager, campaign, owner, team):
    rows = [
        FORM_1_HEADERS,
        ["Landing page", "Launch and promotion", "", "li", "", "2026-06-10", "", "in progress"],
        ["Stock check", "产品筹备", "", "韩梅梅", "", "2026-06-03", "", "已完成"],
        ["Printer", "warm-up", "", "wang", "", "2026-06-04", "", "blocked"],
        ["Press kit", "售后复盘", "", "wang", "", "2026-06-20", "", "not_started"],
    ]

    result = import_tasks(file=_csv_file(rows), campaign=campaign, user=manager)

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

    result = import_tasks(file=_csv_file(rows, encoding="utf-8-sig"), campaign=campaign, user=manager)

    assert result.ok, result.errors
    assert result.created == 3
    kol = Task.objects.get(name="KOL视频发布")
    assert (kol.stage.name_zh, kol.responsible.name, kol.status) == ("预热宣传", "市场推广*主管", "in_progress")
    assert sorted(d.name for d in Task.objects.get(name="线下门店物料铺货").departments.all()) == ["物流部", "销售部"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_file_in_utf8_with_or_without_bom_or_in_gb18030_imports(manager, campaign, team, encoding):
    rows = [FORM_1_HEADERS, ["详情页", "正式推广", "说明", "李雷", "产品部，设计部", "2026/6/10", "通过审核", "进行中"]]

    result = import_tasks(file=_csv_file(rows, encoding=encoding), campaign=campaign, user=manager)

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

    result = import_tasks(file=_xlsx_file(output.getvalue()), campaign=campaign, user=manager)

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

    result = import_tasks(file=_csv_file(rows), campaign=campaign, user=manager)

    assert result.ok, result.errors
    assert result.created == 1


# Import: errors -------------------------------------------------------------------------------


def test_every_row_error_is_reported_with_its_row_and_column_and_nothing_is_saved(manager, team):
    campaign = CampaignFactory(owner=manager)  # no stages yet: the import's default stages are rolled back too
    rows = [
        FORM_1_HEADERS,
        ["Good", "产品筹备", "", "li", "", "2026-06-10", "", "未开始"],
        ["Unknown stage", "Nowhere", "", "li", "", "2026-06-10", "", ""],
        ["Unknown person", "产品筹备", "", "nobody", "", "2026-06-10", "", ""],
        ["Unknown department", "产品筹备", "", "li", "产品部、Moon base", "2026-06-10", "", ""],
        ["Bad date", "产品筹备", "", "li", "", "10th of June", "", ""],
        ["", "产品筹备", "", "li", "", "2026-06-10", "", ""],
        ["No owner", "产品筹备", "", "", "", "2026-06-10", "", ""],
        ["Unknown status", "产品筹备", "", "li", "", "2026-06-10", "", "finished-ish"],
    ]

    result = import_tasks(file=_csv_file(rows), campaign=campaign, user=manager)

    assert not result.ok
    assert [(error.row, error.column) for error in result.errors] == [
        (3, "所属阶段"),
        (4, "负责人"),
        (5, "协作部门"),
        (6, "截止时间"),
        (7, "任务名称"),
        (8, "负责人"),
        (9, "状态"),
    ]
    assert "Nowhere" in result.errors[0].message
    assert "Moon base" in result.errors[2].message
    assert Task.objects.count() == 0
    assert not Stage.objects.filter(campaign=campaign).exists()


def test_a_file_without_the_required_columns_is_refused_as_a_whole(manager, campaign):
    rows = [["任务名称", "状态"], ["A", "未开始"]]

    result = import_tasks(file=_csv_file(rows), campaign=campaign, user=manager)

    assert [error.row for error in result.errors] == [None]
    assert "所属阶段" in result.errors[0].message
    assert not Task.objects.exists()


def test_a_consulted_person_who_is_the_responsible_is_an_error(manager, campaign, team):
    rows = [[*FORM_1_HEADERS, "咨询人"], ["A", "产品筹备", "", "li", "", "2026-06-10", "", "", "李雷"]]

    result = import_tasks(file=_csv_file(rows), campaign=campaign, user=manager)

    assert [(error.row, error.column) for error in result.errors] == [(2, "咨询人")]
    assert not Task.objects.exists()


def test_a_start_after_the_deadline_is_an_error(manager, campaign, team):
    rows = [[*FORM_1_HEADERS, "开始时间"], ["A", "产品筹备", "", "li", "", "2026-06-10", "", "", "2026-06-11"]]

    result = import_tasks(file=_csv_file(rows), campaign=campaign, user=manager)

    assert [(error.row, error.column) for error in result.errors] == [(2, "开始时间")]


def test_the_import_page_lists_the_errors_and_saves_nothing(client, manager, campaign, team):
    client.force_login(manager)
    rows = [
        FORM_1_HEADERS,
        ["A", "产品筹备", "", "li", "", "2026-06-10", "", ""],
        ["B", "Nowhere", "", "li", "", "x", "", ""],
    ]

    response = client.post(reverse("tasks:tasks_import", args=[campaign.pk]), {"file": _csv_file(rows)})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert "所属阶段" in html
    assert "截止时间" in html
    assert not Task.objects.exists()


def test_the_import_page_imports_and_goes_back_to_the_matrix_with_the_counts(client, manager, campaign, team):
    client.force_login(manager)
    rows = [FORM_1_HEADERS, ["A", "产品筹备", "", "li", "", "2026-06-10", "", ""]]

    response = client.post(reverse("tasks:tasks_import", args=[campaign.pk]), {"file": _csv_file(rows)}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("tasks:raci_matrix", args=[campaign.pk])
    assert "1 created, 0 updated" in response.content.decode()
    assert Task.objects.filter(campaign=campaign).count() == 1


def test_the_import_page_explains_the_columns_with_the_templates_example_rows(client, manager, campaign):
    client.force_login(manager)

    response = client.get(reverse("tasks:tasks_import", args=[campaign.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    for text in [*FORM_1_HEADERS, "新品详情页上线", "KOL视频发布", "线下门店物料铺货"]:
        assert text in html


# Import: who may ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "campaign owner"])
def test_a_manager_or_the_campaign_owner_may_import(client, manager, owner, campaign, team, who):
    client.force_login(manager if who == "manager" else owner)
    url = reverse("tasks:tasks_import", args=[campaign.pk])
    rows = [FORM_1_HEADERS, ["A", "产品筹备", "", "li", "", "2026-06-10", "", ""]]

    assert client.get(url).status_code == 200
    response = client.post(url, {"file": _csv_file(rows)})

    assert response.status_code == 302
    assert Task.objects.filter(campaign=campaign).count() == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE, Role.DEPARTMENT_LEAD, Role.VIEWER])
def test_other_roles_may_not_import_and_nothing_is_saved(client, make_user, campaign, team, role):
    client.force_login(make_user(role))
    url = reverse("tasks:tasks_import", args=[campaign.pk])
    rows = [FORM_1_HEADERS, ["A", "产品筹备", "", "li", "", "2026-06-10", "", ""]]

    assert client.get(url).status_code == 403
    response = client.post(url, {"file": _csv_file(rows)})

    assert response.status_code == 403
    assert not Task.objects.exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE, Role.DEPARTMENT_LEAD, Role.VIEWER])
def test_every_role_may_export(client, make_user, filled_campaign, role):
    client.force_login(make_user(role))

    assert client.get(reverse("tasks:tasks_export", args=[filled_campaign.pk])).status_code == 200


def test_an_existing_task_keeps_what_the_file_does_not_say(manager, campaign, team):
    task = TaskFactory(
        stage=_stage(campaign, "产品筹备"), name="A", responsible=team["li"], materials="Posters", progress=20
    )
    rows = [["任务名称", "所属阶段", "负责人", "截止时间"], ["A", "产品筹备", "han", "2026-06-30"]]

    result = import_tasks(file=_csv_file(rows), campaign=campaign, user=manager)

    assert result.ok, result.errors
    task.refresh_from_db()
    assert (task.responsible, task.materials, task.progress, task.due_date) == (
        team["han"],
        "Posters",
        20,
        date(2026, 6, 30),
    )
