"""Import a campaign's tasks from a file in the shape of form 1 of the execution tracking
template (表1 营销任务分解与责任矩阵表), CSV or XLSX, as tasks.exports writes it.

Columns are found by their header, in Chinese or English, in any order: 任务名称, 所属阶段,
任务描述, 负责人, 协作部门, 截止时间, 交付标准, 状态 (the template's), and optionally 审批人
(Accountable; the campaign owner when absent), 咨询人 (Consulted), 知会人 (Informed),
开始时间 (start) and 进度 (progress). Every row is checked first and every problem reported
with the row number the spreadsheet shows and the column's header as the file writes it;
nothing is saved unless every row is good, and then all rows are saved in one transaction
through the services. A row whose task name already exists in the same stage of the campaign
updates that task, so importing the same file twice changes nothing the second time.
"""

import re
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from accounts.models import Department, User
from core.dates import date_problem
from core.formatting import format_number
from core.imports import ImportResult, RowError
from core.spreadsheets import (
    CHECKBOX_CHARACTERS,
    FileProblem,
    blank,
    date_in_text,
    header_column,
    header_columns,
    upload_rows,
)
from plans.models import Campaign

from . import services
from .exports import HEADERS, SHEET_TITLE, STATUS_ZH
from .models import Assignment, AssignmentRole, Stage, Task, TaskStatus
from .services import TaskInput

MAX_ROWS = 10_000
# Form 1 is 13 columns wide: a workbook may hold about twice its cells (see core.spreadsheets).
MAX_CELLS = 32 * MAX_ROWS
MAX_FILE_BYTES = 20 * 1024 * 1024
NAME_MAX_LENGTH = Task._meta.get_field("name").max_length

# Header aliases, as core.spreadsheets.header_column compares them (case-insensitive, spaces = underscores).
COLUMN_ALIASES = {
    "name": ["任务名称", "任务", "task_name", "task", "name"],
    "stage": ["所属阶段", "阶段", "stage"],
    "description": ["任务描述", "描述", "task_description", "description"],
    "responsible": ["负责人", "responsible", "r", "owner"],
    "departments": ["协作部门", "collaborating_departments", "departments", "department"],
    "due_date": ["截止时间", "截止日期", "deadline", "due_date", "due"],
    "deliverable": ["交付标准", "deliverable_standard", "deliverable"],
    "status": ["状态", "status"],
    "accountable": ["审批人", "accountable", "a"],
    "consulted": ["咨询人", "consulted", "c"],
    "informed": ["知会人", "informed", "i"],
    "start_date": ["开始时间", "开始日期", "start_date", "start"],
    "progress": ["进度", "progress"],
}
ALIAS_TO_COLUMN = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}
REQUIRED_COLUMNS = ["name", "stage", "responsible", "due_date"]
HEADER_SEARCH_ROWS = 10  # a title line or two above the table is skipped

LIST_SPLIT = re.compile(r"[、,，;；\n]+")
# Excel's serial day numbers for 1950-01-01 .. 2099-12-31: a date cell saved as a number.
EXCEL_SERIALS = range(18264, 73051)


@dataclass(slots=True)
class _Row:
    number: int
    name: str
    stage: Stage
    responsible: User
    due_date: date
    present: frozenset[str] = frozenset()  # the columns the file has
    existing: Task | None = None
    description: str = ""
    deliverable: str = ""
    departments: list[Department] | None = None
    status: str | None = None
    accountable: User | None = None
    start_date: date | None = None
    progress: int | None = None
    # role -> [(kind, object)], only for the C/I columns the file has
    roles: dict[str, list] = field(default_factory=dict)


class _RolledBack(Exception):
    def __init__(self, result: ImportResult):
        super().__init__()
        self.result = result


# Reading ----------------------------------------------------------------------------------


def _read_rows(file: IO[bytes]) -> Iterator[tuple[int, tuple]]:
    """The rows of a CSV file or of an XLSX workbook's form 1 sheet (else its first), as
    (row number as the spreadsheet shows it, cells)."""
    rows, _is_csv = upload_rows(
        file, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS, max_cells=MAX_CELLS, sheet_title=SHEET_TITLE
    )
    return rows


# Headers ----------------------------------------------------------------------------------


def _header(cells: tuple) -> tuple[dict[str, int], dict[str, str]] | None:
    """Where each known column is and its header as written; None for a row that is no header."""
    index, header = header_columns(cells, ALIAS_TO_COLUMN)
    if len(index) < 2:
        return None
    missing = [HEADERS[column] for column in REQUIRED_COLUMNS if column not in index]
    if missing:
        raise FileProblem(
            _("The file has no %(missing)s column. The first row must name the columns of form 1: %(columns)s.")
            % {"missing": "、".join(missing), "columns": "、".join(list(HEADERS.values())[:8])}
        )
    return index, header


def _is_label_row(cells: tuple, index: dict[str, int]) -> bool:
    """A second header line (English labels under the Chinese ones) is not a task."""
    found = 0
    for column, position in index.items():
        if position < len(cells) and not blank(cells[position]):
            if header_column(cells[position], ALIAS_TO_COLUMN) != column:
                return False
            found += 1
    return found >= 2


# Cells ------------------------------------------------------------------------------------


def _text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    return str(cell).strip()


def _parse_date(cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool):
        return None
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    if isinstance(cell, str) and re.fullmatch(r"[0-9]{1,7}", cell.strip()):
        cell = int(cell.strip())
    if isinstance(cell, int | float):
        if int(cell) in EXCEL_SERIALS:
            return from_excel(cell).date()
        return None
    return date_in_text(cell) if isinstance(cell, str) else None


def _status_words() -> dict[str, str]:
    words = {}
    for status in TaskStatus:
        for word in (status.value, status.value.replace("_", " "), STATUS_ZH[status], str(status.label)):
            words[_status_key(word)] = status.value
    words[_status_key("完成")] = TaskStatus.DONE
    words[_status_key("阻塞")] = TaskStatus.BLOCKED
    return words


def _status_key(text: str) -> str:
    text = str(text).strip().casefold()
    text = re.sub(rf"[{CHECKBOX_CHARACTERS}]", "", text)
    return re.sub(r"[\s_\-]+", " ", text).strip()


def _parse_progress(cell) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        text = str(cell).strip().rstrip("%").strip()
        try:
            value = float(text)
        except ValueError:
            return None
    if value != value or not 0 <= value <= 100:  # NaN is not a progress either
        return None
    return round(value)


class _Directory:
    """Active people by username and by name, departments and the campaign's stages, loaded once."""

    def __init__(self, stages: list[Stage]):
        self.stages = stages
        self.usernames, self.names = {}, defaultdict(list)
        for person in User.objects.filter(is_active=True):
            self.usernames[person.username.casefold()] = person
            for name in {person.name, person.get_full_name(), person.display_name} - {""}:
                self.names[name.strip().casefold()].append(person)
        self.departments = {department.name.strip().casefold(): department for department in Department.objects.all()}

    def stage(self, text: str) -> Stage | None:
        return next((stage for stage in self.stages if stage.matches(text)), None)

    def person(self, text: str) -> tuple[User | None, str]:
        """The person a cell names (by username, then by name), or None and, when several
        people have that name, why."""
        key = text.strip().casefold()
        if key in self.usernames:
            return self.usernames[key], ""
        found = self.names.get(key, [])
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, _("%(count)s people are called “%(name)s”: write the username instead.") % {
                "count": len(found),
                "name": text,
            }
        return None, ""

    def department(self, text: str) -> Department | None:
        return self.departments.get(text.strip().casefold())


def _split(cell) -> list[str]:
    return [part.strip() for part in LIST_SPLIT.split(_text(cell)) if part.strip()]


# Validation -------------------------------------------------------------------------------


class _Checker:
    def __init__(self, *, campaign: Campaign, directory: _Directory, existing: dict):
        self.campaign = campaign
        self.directory = directory
        self.existing = existing  # (stage id, casefolded name) -> deque of tasks, oldest first
        self.statuses = _status_words()
        self.errors: list[RowError] = []
        self.good: list[_Row] = []
        self.header: dict[str, str] = {}

    def check(self, number: int, cells: tuple, index: dict[str, int], header: dict[str, str]) -> None:
        errors = len(self.errors)

        def cell(column):
            position = index.get(column)
            return cells[position] if position is not None and position < len(cells) else None

        def problem(column, message):
            self.errors.append(RowError(number, header.get(column, HEADERS[column]), message))

        name = _text(cell("name")) if not blank(cell("name")) else ""
        if not name:
            problem("name", _("The task name is missing."))
        elif len(name) > NAME_MAX_LENGTH:
            problem("name", _("The task name is longer than %(max)s characters.") % {"max": NAME_MAX_LENGTH})

        stage = None
        if blank(cell("stage")):
            problem("stage", _("The stage is missing."))
        else:
            stage = self.directory.stage(_text(cell("stage")))
            if stage is None:
                problem(
                    "stage",
                    _("“%(value)s” is not a stage of this campaign: use one of %(stages)s.")
                    % {
                        "value": _text(cell("stage")),
                        "stages": "、".join(s.name_zh or s.name_en for s in self.directory.stages),
                    },
                )

        responsible = self._person(cell("responsible"), "responsible", problem)
        if blank(cell("responsible")):
            problem("responsible", _("The Responsible (负责人) is missing: every task needs its one owner."))

        due_date = None
        if blank(cell("due_date")):
            problem("due_date", _("The deadline is missing."))
        else:
            due_date = self._date(cell("due_date"), "due_date", problem)

        row_status = None
        if "status" in index and not blank(cell("status")):
            row_status = self.statuses.get(_status_key(_text(cell("status"))))
            if row_status is None:
                problem(
                    "status",
                    _(
                        "“%(value)s” is not a status: write 未开始, 进行中, 已完成 or 受阻 "
                        "(not started, in progress, done, blocked)."
                    )
                    % {"value": _text(cell("status"))},
                )

        departments = None
        if "departments" in index:
            departments = []
            for part in _split(cell("departments")) if not blank(cell("departments")) else []:
                department = self.directory.department(part)
                if department is None:
                    problem("departments", _("“%(value)s” is not a department.") % {"value": part})
                elif department not in departments:
                    departments.append(department)

        accountable = self._person(cell("accountable"), "accountable", problem) if "accountable" in index else None

        start_date = None
        if "start_date" in index and not blank(cell("start_date")):
            start_date = self._date(cell("start_date"), "start_date", problem)
            if start_date and due_date and start_date > due_date:
                problem("start_date", _("The start date is after the deadline."))

        progress = None
        if "progress" in index and not blank(cell("progress")):
            progress = _parse_progress(cell("progress"))
            if progress is None:
                problem(
                    "progress",
                    _("“%(value)s” is not a progress from 0 to 100.") % {"value": _text(cell("progress"))},
                )

        if len(self.errors) > errors:
            return
        existing = self._match(stage, name)
        if accountable is None:
            accountable = existing.accountable if existing is not None else self.campaign.owner
            if not accountable.is_active:
                problem(
                    "accountable",
                    _("The campaign owner %(person)s is no longer active: name the Accountable in a 审批人 column.")
                    % {"person": accountable},
                )
                return
        roles = self._roles(cells, index, header, number, owners={responsible.pk, accountable.pk})
        if len(self.errors) > errors:
            return
        self.good.append(
            _Row(
                number=number,
                name=name,
                stage=stage,
                responsible=responsible,
                due_date=due_date,
                present=frozenset(index),
                existing=existing,
                description="" if blank(cell("description")) else _text(cell("description")),
                deliverable="" if blank(cell("deliverable")) else _text(cell("deliverable")),
                departments=departments,
                status=row_status,
                accountable=accountable,
                start_date=start_date,
                progress=progress,
                roles=roles,
            )
        )

    def _person(self, value, column: str, problem) -> User | None:
        if blank(value):
            return None
        person, why = self.directory.person(_text(value))
        if person is None:
            unknown = _("No active person is called “%(name)s” (by name or username).") % {"name": _text(value)}
            problem(column, why or unknown)
        return person

    def _date(self, value, column: str, problem) -> date | None:
        day = _parse_date(value)
        if day is None:
            problem(
                column,
                _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2026-06-10.") % {"value": _text(value)},
            )
        elif date_problem(day):
            problem(column, date_problem(day))
            return None
        return day

    def _match(self, stage: Stage, name: str) -> Task | None:
        """The n-th row of a name in a stage updates the n-th task of that name there (oldest first)."""
        queue = self.existing.get((stage.pk, name.casefold()))
        return queue.popleft() if queue else None

    def _roles(self, cells, index, header, number, *, owners: set[int]) -> dict[str, list]:
        roles, seen = {}, {}
        for column, role in (("consulted", AssignmentRole.CONSULTED), ("informed", AssignmentRole.INFORMED)):
            if column not in index:
                continue
            value = cells[index[column]] if index[column] < len(cells) else None
            entries = []
            for part in _split(value) if not blank(value) else []:
                person, why = self.directory.person(part)
                department = self.directory.department(part) if person is None else None
                if person is None and department is None:
                    self.errors.append(
                        RowError(
                            number,
                            header[column],
                            why or _("“%(value)s” is neither an active person nor a department.") % {"value": part},
                        )
                    )
                    continue
                key = ("user", person.pk) if person is not None else ("department", department.pk)
                if person is not None and person.pk in owners:
                    self.errors.append(
                        RowError(
                            number,
                            header[column],
                            _("%(person)s is already Responsible or Accountable for this task.") % {"person": person},
                        )
                    )
                    continue
                if key in seen:
                    if seen[key] != role:
                        self.errors.append(
                            RowError(
                                number,
                                header[column],
                                _("“%(value)s” is both Consulted and Informed: choose one.") % {"value": part},
                            )
                        )
                    continue
                seen[key] = role
                entries.append((key, person or department))
            roles[role] = entries
        return roles


def _rows(data_rows: Iterator[tuple[int, tuple]], checker: _Checker) -> int:
    """Find the header, then check every row; returns the number of task rows."""
    index = header = None
    searched = count = 0
    label_row_possible = False
    for number, cells in data_rows:
        if all(blank(cell) for cell in cells):
            continue
        if index is None:
            found = _header(cells)
            searched += 1
            if found is None:
                if searched >= HEADER_SEARCH_ROWS:
                    break
                continue
            index, header = found
            checker.header = header
            label_row_possible = True
            continue
        if label_row_possible:
            label_row_possible = False
            if _is_label_row(cells, index):
                continue
        count += 1
        if count > MAX_ROWS:
            raise FileProblem(
                _("The file has more than %(max)s tasks: split it into smaller files.")
                % {"max": format_number(MAX_ROWS)}
            )
        checker.check(number, cells, index, header)
    if index is None:
        raise FileProblem(
            _("No header row found. The first row must name the columns of form 1: %(columns)s.")
            % {"columns": "、".join(list(HEADERS.values())[:8])}
        )
    if not count:
        raise FileProblem(_("The file has column headers but no tasks."))
    return count


# Saving -----------------------------------------------------------------------------------

FIELD_COLUMNS = {
    "name": "name",
    "stage": "stage",
    "responsible": "responsible",
    "accountable": "accountable",
    "due_date": "due_date",
    "start_date": "start_date",
    "status": "status",
    "note": "status",
    "progress": "progress",
    "user": "consulted",
    "department": "consulted",
}


def _input(row: _Row, task: Task | None) -> TaskInput:
    """The task's fields after the row: what the file has, the task's own values for the rest."""
    if task is None:
        return TaskInput(
            stage=row.stage,
            name=row.name,
            responsible=row.responsible,
            accountable=row.accountable,
            due_date=row.due_date,
            description=row.description,
            deliverable=row.deliverable,
            start_date=row.start_date,
            departments=row.departments or [],
        )
    present = row.present
    return TaskInput(
        stage=row.stage,
        name=row.name,
        responsible=row.responsible,
        accountable=row.accountable,
        due_date=row.due_date,
        description=row.description if "description" in present else task.description,
        deliverable=row.deliverable if "deliverable" in present else task.deliverable,
        start_date=row.start_date if "start_date" in present else task.start_date,
        milestone=task.milestone,
        departments=row.departments if "departments" in present else list(task.departments.all()),
        budget_amount=task.budget_amount,
        people_needed=task.people_needed,
        materials=task.materials,
    )


def _changes(task: Task, data: TaskInput) -> bool:
    for name, value in vars(data).items():
        if name == "departments":
            if {d.pk for d in value} != {d.pk for d in task.departments.all()}:
                return True
        elif getattr(task, name) != value:
            return True
    return False


def _save_status(task: Task, row: _Row, user: User) -> None:
    if row.status is None and row.progress is None:
        return
    status = row.status or task.status
    progress = 100 if status == TaskStatus.DONE else (row.progress if row.progress is not None else task.progress)
    if status == task.status and progress == task.progress:
        return
    note = _("Imported from file") if status in (TaskStatus.DONE, TaskStatus.BLOCKED) else _("Imported")
    services.task_set_status(task=task, status=status, by=user, note=note, progress=progress)


def _save_roles(task: Task, row: _Row, user: User) -> None:
    if not row.roles:
        return
    current = {
        ("user", a.user_id) if a.user_id else ("department", a.department_id): a
        for a in Assignment.objects.filter(task=task)
    }
    wanted = {key: (role, who) for role, entries in row.roles.items() for key, who in entries}
    for key, assignment in current.items():
        if assignment.role in row.roles and key not in wanted:
            services.assignment_remove(assignment=assignment)
    for key, (role, who) in wanted.items():
        if key in current and current[key].role == role:
            continue
        target = {"user": who} if key[0] == "user" else {"department": who}
        services.assignment_set(task=task, role=role, by=user, **target)


def _save(rows: list[_Row], *, campaign: Campaign, user: User, header: dict[str, str]) -> tuple[int, int]:
    created = updated = 0
    for row in rows:
        try:
            task = row.existing
            if task is None:
                task = services.task_create(campaign=campaign, data=_input(row, None), by=user)
                created += 1
            else:
                data = _input(row, task)
                if _changes(task, data):
                    services.task_update(task=task, data=data, by=user)
                updated += 1
            _save_status(task, row, user)
            _save_roles(task, row, user)
        except ValidationError as exc:
            errors = []
            for name, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
                column = FIELD_COLUMNS.get(name)
                label = header.get(column, HEADERS.get(column, "")) if column else ""
                errors += [RowError(row.number, label, message) for message in messages]
            raise _RolledBack(ImportResult(rows=len(rows), errors=errors)) from exc
    return created, updated


# The import -------------------------------------------------------------------------------


def import_tasks(*, file: IO[bytes], campaign: Campaign, user: User) -> ImportResult:
    """Read a CSV or XLSX file of form 1 rows, check every row, then create or update all the
    campaign's tasks it names, or none."""
    try:
        rows = _read_rows(file)
        with transaction.atomic():
            stages = services.stages_ensure_defaults(campaign=campaign, by=user)
            existing = defaultdict(deque)
            for task in (
                Task.objects.filter(campaign=campaign)
                .select_related("responsible", "accountable", "milestone")
                .prefetch_related("departments")
                .order_by("pk")
            ):
                existing[(task.stage_id, task.name.strip().casefold())].append(task)
            checker = _Checker(campaign=campaign, directory=_Directory(stages), existing=existing)
            count = _rows(rows, checker)
            if checker.errors:
                raise _RolledBack(ImportResult(rows=count, errors=checker.errors))
            created, updated = _save(checker.good, campaign=campaign, user=user, header=checker.header)
    except FileProblem as problem:
        return ImportResult(errors=[RowError(None, problem.column, problem.message)])
    except _RolledBack as rolled_back:
        return rolled_back.result
    return ImportResult(created=created, updated=updated, rows=count)
