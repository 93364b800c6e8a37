"""XLSX export of a campaign's tasks in the shape of form 1 of the execution tracking template
(表1 营销任务分解与责任矩阵表), so that the file can be passed on, edited and imported again.

The first eight columns are the template's, in its order and with its Chinese headers; the
RACI roles the template leaves out, the start date and the progress follow them. English
labels are the header cells' comments and the second sheet, never a row of the table, so a
re-import reads the file as it was written. The status is written in Chinese whatever the
reader's language, as in the template (未开始, 进行中, 已完成, 受阻).
"""

from collections.abc import Iterable
from datetime import datetime

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.formulas import workbook_bytes
from plans.models import Campaign

from .models import AssignmentRole, Task, TaskStatus

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "表1 营销任务分解与责任矩阵表 (Task matrix)"
NOTES_TITLE = "说明 About"
LIST_SEPARATOR = "、"

# (key, header in the file, English label, column width): the template's eight columns first.
COLUMNS = [
    ("name", "任务名称", "Task name", 28),
    ("stage", "所属阶段", "Stage", 12),
    ("description", "任务描述", "Task description", 40),
    ("responsible", "负责人", "Responsible (R): the one owner", 14),
    ("departments", "协作部门", "Collaborating departments, separated by 、", 20),
    ("due_date", "截止时间", "Deadline (date)", 12),
    ("deliverable", "交付标准", "Deliverable standard", 36),
    ("status", "状态", "Status: 未开始 not started, 进行中 in progress, 已完成 done, 受阻 blocked", 9),
    ("accountable", "审批人", "Accountable (A); empty means the campaign owner", 14),
    ("consulted", "咨询人", "Consulted (C): people or departments, separated by 、", 20),
    ("informed", "知会人", "Informed (I): people or departments, separated by 、", 20),
    ("start_date", "开始时间", "Start date", 12),
    ("progress", "进度", "Progress % (0-100)", 8),
]
TEMPLATE_COLUMNS = 8
KEYS = [key for key, *_rest in COLUMNS]
HEADERS = {key: header for key, header, *_rest in COLUMNS}

# The template's own words for the statuses, whatever language the page is in.
STATUS_ZH = {
    TaskStatus.NOT_STARTED: "未开始",
    TaskStatus.IN_PROGRESS: "进行中",
    TaskStatus.DONE: "已完成",
    TaskStatus.BLOCKED: "受阻",
}

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDE7F3")
EXTRA_FILL = PatternFill("solid", start_color="EEF2F7")
DATE_FORMAT = "yyyy-mm-dd"
COMMENT_AUTHOR = "Marketing plan tracker"


def stage_label(stage) -> str:
    return stage.name_zh or stage.name_en


def _names(objects: Iterable) -> str:
    return LIST_SEPARATOR.join(str(obj) for obj in objects)


def task_cells(task: Task) -> list:
    """One task as a row of the sheet; needs selectors.task_list()'s prefetches."""
    consulted, informed = [], []
    # People first, then departments, each in the order they were given the role.
    for assignment in sorted(task.assignments.all(), key=lambda a: (a.user_id is None, a.pk)):
        who = assignment.user.display_name if assignment.user_id else assignment.department.name
        (consulted if assignment.role == AssignmentRole.CONSULTED else informed).append(who)
    return [
        task.name,
        stage_label(task.stage),
        task.description,
        task.responsible.display_name,
        _names(department.name for department in task.departments.all()),
        task.due_date,
        task.deliverable,
        STATUS_ZH.get(task.status, task.status),
        task.accountable.display_name,
        LIST_SEPARATOR.join(consulted),
        LIST_SEPARATOR.join(informed),
        task.start_date,
        task.progress,
    ]


def tasks_workbook(*, campaign: Campaign, tasks: Iterable[Task], exported_by=None, exported_at=None) -> bytes:
    """A campaign's tasks as an XLSX file shaped like the template's form 1."""
    workbook = Workbook()
    workbook.properties.title = f"{campaign.name} · 表1 营销任务分解与责任矩阵表"
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([header for _key, header, _label, _width in COLUMNS])
    for position, (_key, _header, label, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=position)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL if position <= TEMPLATE_COLUMNS else EXTRA_FILL
        cell.comment = Comment(label, COMMENT_AUTHOR, width=240, height=60)
        sheet.column_dimensions[get_column_letter(position)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    due_at, start_at = KEYS.index("due_date"), KEYS.index("start_date")
    wrapped = [KEYS.index("description"), KEYS.index("deliverable")]
    count = 0
    for task in tasks:
        sheet.append(task_cells(task))
        row = sheet[sheet.max_row]
        row[due_at].number_format = DATE_FORMAT
        row[start_at].number_format = DATE_FORMAT
        for position in wrapped:
            row[position].alignment = wrap
        count += 1
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions if count else None
    _write_notes(workbook.create_sheet(NOTES_TITLE), campaign, count, exported_by, exported_at)
    return workbook_bytes(workbook)


def _write_notes(sheet, campaign: Campaign, count: int, exported_by, exported_at: datetime | None) -> None:
    """The second sheet: what each column holds, in Chinese and English, and where the file came from."""
    sheet.append(["营销方案 Campaign", campaign.name])
    sheet.append(["任务数 Tasks", count])
    if exported_at is not None:
        sheet.append(["导出时间 Exported at", exported_at.strftime("%Y-%m-%d %H:%M")])
    if exported_by is not None:
        sheet.append(["导出人 Exported by", exported_by.display_name])
    sheet.append([])
    sheet.append(["列 Column", "说明 Meaning"])
    sheet[sheet.max_row][0].font = sheet[sheet.max_row][1].font = HEADER_FONT
    for _key, header, label, _width in COLUMNS:
        sheet.append([header, label])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 70
