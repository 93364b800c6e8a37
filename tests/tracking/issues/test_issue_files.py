"""Form 3 as a file: the register exported to XLSX in the template's column order with its
Chinese headers (formula-safe), and imported back: every row checked first, problems by row
and column, nothing saved unless all are good; a row with an id updates its issue."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import CampaignFactory, StageFactory, TaskFactory
from tests.factories.issues import IssueFactory
from tests.factories.spreadsheets import workbook_bytes
from tracking.issue_files import SHEET_TITLE, import_issues
from tracking.models import Issue, IssueState

pytestmark = pytest.mark.django_db

TEMPLATE_HEADERS = [
    "问题描述",
    "发生时间",
    "影响任务",
    "责任部门",
    "临时应对措施",
    "根本原因分析",
    "长期解决方案",
    "完成时限",
    "责任人",
]


def export(client, campaign) -> list[list]:
    response = client.get(reverse("tracking:issues_export", args=[campaign.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))[SHEET_TITLE]
    return [list(row) for row in sheet.iter_rows(values_only=True)], response.content


def upload(content: bytes, name: str = "form3.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_the_export_has_form_3s_columns_in_order_with_chinese_headers(client, manager, issue):
    client.force_login(manager)
    rows, _content = export(client, issue.campaign)

    assert rows[0][:9] == TEMPLATE_HEADERS
    assert rows[0][9:] == ["状态", "严重程度", "来源预警", "编号"]
    row = rows[1]
    assert row[0] == "设计素材未到位"
    assert row[2] == "新品详情页上线"
    assert (row[3], row[7].date(), row[9], row[12]) == ("设计部", date(2026, 6, 20), "待处理", issue.pk)


def test_the_export_is_formula_safe(client, manager, campaign):
    IssueFactory(campaign=campaign, description='=HYPERLINK("http://evil.example","x")')
    client.force_login(manager)
    _rows, content = export(client, campaign)
    sheet = load_workbook(io.BytesIO(content))[SHEET_TITLE]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].quotePrefix


def test_an_exported_register_imports_back_unchanged(client, manager, issue):
    client.force_login(manager)
    _rows, content = export(client, issue.campaign)
    history = issue.history.count()

    result = import_issues(file=upload(content), campaign=issue.campaign, user=manager)

    assert (result.ok, result.created, result.updated) == (True, 0, 0)
    assert issue.history.count() == history


def test_a_reimport_updates_the_rows_with_an_id_and_records_the_others(client, manager, issue, task, frozen):
    client.force_login(manager)
    rows, _content = export(client, issue.campaign)
    rows[1][4] = "先用旧素材上线"
    rows[1][9] = "已缓解"
    rows.append(
        ["新问题", "2026-06-10 09:30", "新品详情页上线", "设计部", "", "", "", "2026-06-15", "lead", "", "严重", "", ""]
    )

    result = import_issues(file=upload(workbook_bytes(rows)), campaign=issue.campaign, user=manager)

    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    issue.refresh_from_db()
    assert (issue.temporary_measure, issue.state) == ("先用旧素材上线", IssueState.MITIGATED)
    new = Issue.objects.get(description="新问题")
    assert (new.severity, new.deadline, new.owner.username) == ("critical", date(2026, 6, 15), "lead")
    assert list(new.affected_tasks.all()) == [task]


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_saved(manager, issue):
    stranger = IssueFactory(campaign=CampaignFactory())
    TaskFactory(stage=StageFactory(campaign=CampaignFactory()), name="别的任务")
    rows = [
        [*TEMPLATE_HEADERS, "状态", "编号"],
        ["好的一行", "2026-06-08", "", "", "", "", "", "", "", "", ""],
        ["", "2026-06-08", "", "", "", "", "", "", "", "", ""],
        ["期限太早", "2026-06-08", "", "", "", "", "", "2026-06-07", "", "", ""],
        ["别的任务", "2026-06-08", "别的任务", "无此部门", "", "", "", "", "nobody", "完了", ""],
        ["别的方案", "2026-06-08", "", "", "", "", "", "", "", "", stranger.pk],
        ["日期", "不是日期", "", "", "", "", "", "", "", "", ""],
    ]
    before = (Issue.objects.count(), issue.history.count())

    result = import_issues(file=upload(workbook_bytes(rows)), campaign=issue.campaign, user=manager)

    found = {(error.row, error.column) for error in result.errors}
    assert found == {
        (3, "问题描述"),
        (4, "完成时限"),
        (5, "影响任务"),
        (5, "责任部门"),
        (5, "责任人"),
        (5, "状态"),
        (6, "编号"),
        (7, "发生时间"),
    }
    assert (Issue.objects.count(), issue.history.count()) == before


def test_a_file_without_the_description_column_is_refused(manager, campaign):
    result = import_issues(
        file=upload(workbook_bytes([["发生时间", "责任人"], ["2026-06-08", "lead"]])), campaign=campaign, user=manager
    )
    assert not result.ok
    assert result.errors[0].row is None
    assert "问题描述" in result.errors[0].message


def test_the_import_page_shows_the_errors_and_is_for_those_who_manage(client, manager, owner, lead, campaign):
    client.force_login(lead)
    assert client.get(reverse("tracking:issues_import", args=[campaign.pk])).status_code == 403
    client.force_login(manager)
    response = client.post(
        reverse("tracking:issues_import", args=[campaign.pk]),
        {"file": upload(workbook_bytes([TEMPLATE_HEADERS, ["", "2026-06-08"]]))},
    )
    assert response.status_code == 400
    assert "import-error-table" in response.content.decode()
    ok = client.post(
        reverse("tracking:issues_import", args=[campaign.pk]),
        {"file": upload(workbook_bytes([TEMPLATE_HEADERS, ["问题", "2026-06-08"]]))},
    )
    assert ok.status_code == 302
    assert Issue.objects.get().created_by == manager


def test_csv_imports_too(manager, campaign):
    text = "问题描述,发生时间,完成时限\n物流延迟,2026-06-08 14:30,2026-06-09\n"
    result = import_issues(file=upload(text.encode("utf-8-sig"), "form3.csv"), campaign=campaign, user=manager)
    assert result.ok, result.errors
    assert timezone.localtime(Issue.objects.get().occurred_at).hour == 14
