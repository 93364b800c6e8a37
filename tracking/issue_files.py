"""Form 3 of the execution tracking template (表3 营销执行问题记录与解决表) as a file: the
register exported to XLSX and imported back, CSV or XLSX.

The first nine columns are the template's, in its order and with its Chinese headers (问题描述,
发生时间, 影响任务, 责任部门, 临时应对措施, 根本原因分析, 长期解决方案, 完成时限, 责任人); the
state, the severity, the alerts an issue came from and its id follow. English labels are the
header cells' comments and the second sheet, never a row of the table, so a re-import reads the
file as it was written. An import checks every row first and reports each problem by row and
column; nothing is saved unless every row is good. A row with an id updates that issue (of the
same campaign); a row without one records a new issue.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from accounts.models import Department, User
from core.formulas import workbook_bytes
from core.ids import parse_id
from core.imports import ImportResult, RowError
from core.spreadsheets import FileProblem, blank, date_in_text, header_columns, upload_rows
from plans.models import Campaign
from tasks.models import Task

from .models import Issue, IssueState, Severity
from .services import issues as services

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "表3 营销执行问题记录与解决表 (Issues)"
NOTES_TITLE = "说明 About"
LIST_SEPARATOR = "、"
MAX_ROWS = 5_000
MAX_CELLS = 32 * MAX_ROWS
MAX_FILE_BYTES = 10 * 1024 * 1024
TEMPLATE_COLUMNS = 9
HEADER_SEARCH_ROWS = 10
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDE7F3")
EXTRA_FILL = PatternFill("solid", start_color="EEF2F7")
COMMENT_AUTHOR = "Marketing plan tracker"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    label: str
    width: int
    aliases: tuple[str, ...] = ()


COLUMNS = [
    Column("description", "问题描述", "Problem description", 40, ("description", "problem_description", "problem")),
    Column("occurred_at", "发生时间", "Occurred at (date, or date and time)", 16, ("occurred_at", "occurred")),
    Column("affected_tasks", "影响任务", "Affected tasks, by name, separated by 、", 28, ("affected_tasks", "tasks")),
    Column("department", "责任部门", "Responsible department", 14, ("responsible_department", "department")),
    Column("temporary_measure", "临时应对措施", "Temporary measure", 32, ("temporary_measure", "临时措施")),
    Column("root_cause", "根本原因分析", "Root cause", 32, ("root_cause", "根本原因")),
    Column("long_term_solution", "长期解决方案", "Long-term solution", 32, ("long_term_solution",)),
    Column("deadline", "完成时限", "Deadline (date)", 12, ("deadline", "due_date")),
    Column("owner", "责任人", "Owner (a person's name or username)", 14, ("owner",)),
    Column("state", "状态", "State: 待处理 open, 已缓解 mitigated, 已解决 resolved", 9, ("state", "status")),
    Column("severity", "严重程度", "Severity: 警告 warning, 严重 critical", 9, ("severity",)),
    Column("alerts", "来源预警", "The alerts it came from (not read back)", 12, ("alerts",)),
    Column("id", "编号", "Id: keep it to update the issue; empty records a new one", 8, ("id", "issue_id")),
]
HEADERS = {column.key: column.header for column in COLUMNS}
ALIASES = {alias.casefold(): column.key for column in COLUMNS for alias in (column.header, *column.aliases, column.key)}
STATE_ZH = {IssueState.OPEN: "待处理", IssueState.MITIGATED: "已缓解", IssueState.RESOLVED: "已解决"}
SEVERITY_ZH = {Severity.WARNING: "警告", Severity.CRITICAL: "严重"}
STATE_WORDS = {
    **{word: state for state, word in STATE_ZH.items()},
    **{state.value: state for state in IssueState},
    **{str(state.label): state for state in IssueState},
}
SEVERITY_WORDS = {
    **{word: severity for severity, word in SEVERITY_ZH.items()},
    **{severity.value: severity for severity in Severity},
    **{str(severity.label): severity for severity in Severity},
    "一般": Severity.WARNING,
}
LIST_SPLIT = re.compile(r"[、,，;；\n]+")
EXCEL_SERIALS = range(18264, 73051)


# Export -----------------------------------------------------------------------------------


def issue_cells(issue: Issue) -> list:
    """One issue as a row of form 3; needs selectors.issues.issue_queryset()'s prefetches."""
    return [
        issue.description,
        timezone.localtime(issue.occurred_at).replace(tzinfo=None),
        LIST_SEPARATOR.join(task.name for task in issue.affected_tasks.all()),
        issue.department.name if issue.department_id else "",
        issue.temporary_measure,
        issue.root_cause,
        issue.long_term_solution,
        issue.deadline,
        issue.owner.display_name if issue.owner_id else "",
        STATE_ZH.get(issue.state, issue.state),
        SEVERITY_ZH.get(issue.severity, issue.severity),
        LIST_SEPARATOR.join(f"#{alert.pk}" for alert in issue.alerts.all()),
        issue.pk,
    ]


def issues_workbook(*, campaign: Campaign, issues: Iterable[Issue], exported_by=None, exported_at=None) -> bytes:
    """A campaign's register as an XLSX file shaped like the template's form 3."""
    workbook = Workbook()
    workbook.properties.title = f"{campaign.name} · 表3 营销执行问题记录与解决表"
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([column.header for column in COLUMNS])
    for position, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=position)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL if position <= TEMPLATE_COLUMNS else EXTRA_FILL
        cell.comment = Comment(column.label, COMMENT_AUTHOR, width=240, height=60)
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    keys = [column.key for column in COLUMNS]
    wrap = Alignment(wrap_text=True, vertical="top")
    wrapped = [keys.index(key) for key in ("description", "temporary_measure", "root_cause", "long_term_solution")]
    count = 0
    for issue in issues:
        sheet.append(issue_cells(issue))
        row = sheet[sheet.max_row]
        row[keys.index("occurred_at")].number_format = DATETIME_FORMAT
        row[keys.index("deadline")].number_format = DATE_FORMAT
        for position in wrapped:
            row[position].alignment = wrap
        count += 1
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions if count else None
    notes = workbook.create_sheet(NOTES_TITLE)
    notes.append(["营销方案 Campaign", campaign.name])
    notes.append(["问题数 Issues", count])
    if exported_at is not None:
        notes.append(["导出时间 Exported at", exported_at.strftime("%Y-%m-%d %H:%M")])
    if exported_by is not None:
        notes.append(["导出人 Exported by", exported_by.display_name])
    notes.append([])
    notes.append(["列 Column", "说明 Meaning"])
    for column in COLUMNS:
        notes.append([column.header, column.label])
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 70
    return workbook_bytes(workbook)


# Import -----------------------------------------------------------------------------------


def _text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    return str(cell).strip()


def _moment(cell) -> datetime | None:
    """A date and time as a cell holds it (a datetime, a date, an Excel serial, or text)."""
    zone = timezone.get_current_timezone()
    if isinstance(cell, datetime):
        return cell if timezone.is_aware(cell) else timezone.make_aware(cell, zone)
    if isinstance(cell, date):
        return datetime.combine(cell, time.min, tzinfo=zone)
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return timezone.make_aware(from_excel(cell), zone) if int(cell) in EXCEL_SERIALS else None
    text = _text(cell)
    match = re.fullmatch(r"(.+?)[ T](\d{1,2}):(\d{2})(?::\d{2})?", text)
    if match:
        day = date_in_text(match[1])
        hour, minute = int(match[2]), int(match[3])
        if day is None or hour > 23 or minute > 59:
            return None
        return datetime.combine(day, time(hour, minute), tzinfo=zone)
    day = date_in_text(text)
    return datetime.combine(day, time.min, tzinfo=zone) if day else None


def _day(cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return from_excel(cell).date() if int(cell) in EXCEL_SERIALS else None
    return date_in_text(_text(cell))


@dataclass
class _Row:
    number: int
    issue: Issue | None
    values: dict
    affected_tasks: list[Task] | None
    state: str | None


class _Directory:
    """The campaign's tasks, issues, active people and departments, loaded once."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        self.tasks = defaultdict(list)
        for task in Task.objects.filter(campaign=campaign):
            self.tasks[task.name.strip().casefold()].append(task)
        self.issues = {issue.pk: issue for issue in Issue.objects.filter(campaign=campaign).select_related("campaign")}
        self.usernames, self.names = {}, defaultdict(list)
        for person in User.objects.filter(is_active=True):
            self.usernames[person.username.casefold()] = person
            for name in {person.name, person.get_full_name(), person.display_name} - {""}:
                self.names[name.strip().casefold()].append(person)
        self.departments = {d.name.strip().casefold(): d for d in Department.objects.all()}


def _find_header(rows) -> tuple[dict, dict]:
    for number, cells in rows:
        index, header = header_columns(cells, ALIASES, labels=HEADERS)
        if len(index) >= 2:
            if "description" not in index:
                raise FileProblem(
                    _("The file has no 问题描述 column. The first row must name the columns of form 3: %(columns)s.")
                    % {"columns": "、".join(column.header for column in COLUMNS[:TEMPLATE_COLUMNS])}
                )
            return index, header
        if number >= HEADER_SEARCH_ROWS:
            break
    raise FileProblem(
        _("No header row found. The first row must name the columns of form 3: %(columns)s.")
        % {"columns": "、".join(column.header for column in COLUMNS[:TEMPLATE_COLUMNS])}
    )


def _check_row(number, cells, index, header, directory: _Directory, errors: list[RowError]) -> _Row | None:
    found = len(errors)

    def cell(key):
        position = index.get(key)
        return cells[position] if position is not None and position < len(cells) else None

    def problem(key, message):
        errors.append(RowError(number, header.get(key, HEADERS.get(key, key)), str(message)))

    issue = None
    if "id" in index and not blank(cell("id")):
        pk = parse_id(_text(cell("id")))
        issue = directory.issues.get(pk) if pk is not None else None
        if issue is None:
            problem("id", _("“%(value)s” is not the id of an issue of this campaign.") % {"value": _text(cell("id"))})
            return None

    def given(key) -> bool:
        return key in index

    values = (
        {name: getattr(issue, name) for name in services.ISSUE_FIELDS}
        if issue
        else {
            "description": "",
            "occurred_at": None,
            "department": None,
            "temporary_measure": "",
            "root_cause": "",
            "long_term_solution": "",
            "deadline": None,
            "owner": None,
            "severity": Severity.WARNING,
        }
    )
    for key in ("description", "temporary_measure", "root_cause", "long_term_solution"):
        if given(key):
            values[key] = "" if blank(cell(key)) else _text(cell(key))
    if given("occurred_at"):
        if blank(cell("occurred_at")):
            problem("occurred_at", _("Say when the problem occurred."))
        else:
            values["occurred_at"] = _moment(cell("occurred_at"))
            if values["occurred_at"] is None:
                problem(
                    "occurred_at",
                    _("“%(value)s” is not a date: write it as YYYY-MM-DD (and HH:MM), e.g. 2026-06-08 14:30.")
                    % {"value": _text(cell("occurred_at"))},
                )
    elif issue is None:
        values["occurred_at"] = timezone.now()
    if given("deadline"):
        values["deadline"] = None
        if not blank(cell("deadline")):
            values["deadline"] = _day(cell("deadline"))
            if values["deadline"] is None:
                problem(
                    "deadline",
                    _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2026-06-30.")
                    % {"value": _text(cell("deadline"))},
                )
    if given("department"):
        values["department"] = None
        if not blank(cell("department")):
            values["department"] = directory.departments.get(_text(cell("department")).casefold())
            if values["department"] is None:
                problem("department", _("“%(value)s” is not a department.") % {"value": _text(cell("department"))})
    if given("owner"):
        values["owner"] = None
        if not blank(cell("owner")):
            key = _text(cell("owner")).casefold()
            person = directory.usernames.get(key)
            if person is None:
                people = directory.names.get(key, [])
                if len(people) > 1:
                    problem(
                        "owner",
                        _("%(count)s people are called “%(name)s”: write the username instead.")
                        % {"count": len(people), "name": _text(cell("owner"))},
                    )
                elif not people:
                    problem(
                        "owner",
                        _("No active person is called “%(name)s” (by name or username).")
                        % {"name": _text(cell("owner"))},
                    )
                else:
                    person = people[0]
            values["owner"] = person
    if given("severity") and not blank(cell("severity")):
        values["severity"] = SEVERITY_WORDS.get(_text(cell("severity")).casefold()) or SEVERITY_WORDS.get(
            _text(cell("severity"))
        )
        if values["severity"] is None:
            problem(
                "severity",
                _("“%(value)s” is not a severity: write 警告 or 严重 (warning, critical).")
                % {"value": _text(cell("severity"))},
            )
    state = None
    if given("state") and not blank(cell("state")):
        state = STATE_WORDS.get(_text(cell("state")).casefold()) or STATE_WORDS.get(_text(cell("state")))
        if state is None:
            problem(
                "state",
                _("“%(value)s” is not a state: write 待处理, 已缓解 or 已解决 (open, mitigated, resolved).")
                % {"value": _text(cell("state"))},
            )
    affected = None
    if given("affected_tasks"):
        affected = []
        parts = [] if blank(cell("affected_tasks")) else LIST_SPLIT.split(_text(cell("affected_tasks")))
        for part in (part.strip() for part in parts):
            if not part:
                continue
            tasks = directory.tasks.get(part.casefold(), [])
            if len(tasks) == 1:
                if tasks[0] not in affected:
                    affected.append(tasks[0])
            elif tasks:
                problem("affected_tasks", _("Several tasks of this campaign are called “%(name)s”.") % {"name": part})
            else:
                problem("affected_tasks", _("“%(name)s” is not a task of this campaign.") % {"name": part})
    if len(errors) > found:
        return None
    if issue is not None and values["occurred_at"] is not None:
        # A file keeps the minute: the same minute read back is the time already kept.
        if abs((values["occurred_at"] - issue.occurred_at).total_seconds()) < 60:
            values["occurred_at"] = issue.occurred_at
    try:
        services._check(campaign=directory.campaign, values=values, affected_tasks=affected)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                problem(field, message)
        return None
    return _Row(number, issue, values, affected, state)


def import_issues(*, file: IO[bytes], campaign: Campaign, user: User) -> ImportResult:
    """Check every row of form 3, then, when all are good, record or update them in one
    transaction through the services."""
    result = ImportResult()
    try:
        rows, _is_csv = upload_rows(
            file, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS, max_cells=MAX_CELLS, sheet_title=SHEET_TITLE
        )
        rows = iter(rows)
        index, header = _find_header(rows)
        directory = _Directory(campaign)
        good, seen = [], {}
        for number, cells in rows:
            if all(blank(value) for value in cells):
                continue
            result.rows += 1
            row = _check_row(number, cells, index, header, directory, result.errors)
            if row is None:
                continue
            if row.issue is not None:
                if row.issue.pk in seen:
                    result.errors.append(
                        RowError(
                            number,
                            header.get("id", HEADERS["id"]),
                            _("Row %(row)s already updates this issue.") % {"row": seen[row.issue.pk]},
                        )
                    )
                    continue
                seen[row.issue.pk] = number
            good.append(row)
    except FileProblem as problem:
        result.errors.append(RowError(None, problem.column, problem.message))
        return result
    if result.errors:
        return result
    _save_rows(good, campaign=campaign, user=user, result=result)
    return result


def _changes(row: _Row) -> bool:
    """Whether a row changes its issue's columns or affected tasks (a file exported and read
    back unchanged changes nothing, and writes no history)."""
    issue = row.issue
    if any(row.values[name] != getattr(issue, name) for name in services.ISSUE_FIELDS):
        return True
    if row.affected_tasks is None:
        return False
    return {task.pk for task in row.affected_tasks} != set(issue.affected_tasks.values_list("pk", flat=True))


@transaction.atomic
def _save_rows(rows: list[_Row], *, campaign: Campaign, user: User, result: ImportResult) -> None:
    for row in rows:
        if row.issue is None:
            issue = services.issue_create(
                campaign=campaign, by=user, affected_tasks=row.affected_tasks or [], **row.values
            )
            result.created += 1
        else:
            issue, changed = row.issue, _changes(row)
            if changed:
                issue = services.issue_update(issue=issue, by=user, affected_tasks=row.affected_tasks, **row.values)
            if changed or (row.state is not None and row.state != issue.state):
                result.updated += 1
        if row.state is not None and row.state != issue.state:
            services.issue_set_state(
                issue=issue,
                by=user,
                state=row.state,
                reason=_("Imported from form 3 (row %(row)s).") % {"row": row.number},
            )
