"""XLSX exports shaped like the annual plan template's tables: the targets with their
quarterly split and attainment (目标), and the budget split with shares (预算).

Values come from selectors.plan_detail, so the file agrees with the plan page. Headers are
bilingual ("目标 Target") whatever the reader's language, as the templates are Chinese and
the file is often passed on; names and labels in the cells follow the active language.
"""

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.formulas import workbook_bytes

from .models import Target, Unit

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
    # Attainment is actual ÷ target for every metric: the direction says if above 100% is good.
    "方向 Direction",
]
BUDGET_HEADERS = [
    "类别 Category",
    "渠道 Channel",
    "说明 Description",
    "计划金额 Planned amount",
    "占比 Share %",
    "已支出 Spent",
    "剩余 Remaining",
]

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDE7F3")
SUBGOAL_ALIGNMENT = Alignment(indent=2)
PERCENT_FORMAT = "0.0%"
MONEY_FORMAT = "#,##0.00"
UNIT_FORMATS = {Unit.COUNT: "#,##0", Unit.CURRENCY: MONEY_FORMAT}
OTHER_UNIT_FORMAT = "#,##0.00"
SHARE_PLACES = Decimal("0.000001")


def _fraction(percent: Decimal | None) -> Decimal | None:
    """Excel shows 0.853 as 85.3% with a percent format."""
    return None if percent is None else (percent / 100).quantize(SHARE_PLACES)


def _money(amount: Decimal | None) -> Decimal | None:
    return None if amount is None else amount.quantize(Decimal("0.01"))


def _start_sheet(sheet: Worksheet, headers: list[str]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    sheet.freeze_panes = "A2"


def _display_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, int | float | Decimal):
        return len(f"{value:,.2f}")
    # CJK characters take two columns.
    return sum(2 if ord(char) > 0x2E80 else 1 for char in str(value))


def _fit_columns(sheet: Worksheet) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            widths[cell.column] = max(widths.get(cell.column, 0), _display_width(cell.value))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)


def _target_row(target: Target) -> list:
    attainment = target.attainment
    return [
        target.label,
        target.metric.name,
        str(target.get_category_display()),
        target.channel.name if target.channel_id else None,
        target.baseline,
        target.target_value,
        *target.quarters,
        attainment.actual,
        _fraction(attainment.percent),
        str(attainment.status_label),
        str(target.metric.get_direction_display()),
    ]


def _write_targets(sheet: Worksheet, goals: list[Target]) -> None:
    _start_sheet(sheet, TARGET_HEADERS)
    for goal in goals:
        for target in [goal, *goal.subgoals]:
            sheet.append(_target_row(target))
            row = sheet[sheet.max_row]
            number_format = UNIT_FORMATS.get(target.metric.unit, OTHER_UNIT_FORMAT)
            for cell in row[4:11]:
                cell.number_format = number_format
            row[11].number_format = PERCENT_FORMAT
            if target.parent_id:
                row[0].alignment = SUBGOAL_ALIGNMENT


def _write_budget(sheet: Worksheet, budget: dict) -> None:
    _start_sheet(sheet, BUDGET_HEADERS)
    for line in budget["lines"]:
        sheet.append(
            [
                str(line.get_category_display()),
                line.channel.name if line.channel_id else None,
                line.description or None,
                line.planned_amount,
                _fraction(line.share),
                # Empty for a line without a channel: no recorded cost can be matched to it.
                _money(line.spent),
                _money(line.remaining),
            ]
        )
    total = budget["total"]
    rows = [("合计 Total", budget["allocated"], None, None)]
    if budget["unallocated"] is not None:
        rows.append(("未分配 Unallocated", budget["unallocated"], None, None))
    if budget["spent"] is not None and total:
        # Everything recorded as cost in the plan, matched to a line or not, against the whole budget.
        rows.append(("预算总额 Budget", total, _money(budget["spent"]), _money(budget["remaining"])))
    for label, amount, spent, remaining in rows:
        sheet.append([label, None, None, amount, _fraction(amount / total * 100) if total else None, spent, remaining])
        sheet[sheet.max_row][0].font = HEADER_FONT
    for row in sheet.iter_rows(min_row=2):
        row[3].number_format = MONEY_FORMAT
        row[4].number_format = PERCENT_FORMAT
        row[5].number_format = row[6].number_format = MONEY_FORMAT


def plan_workbook(detail: dict) -> bytes:
    """The plan's targets and budget as an XLSX file, from selectors.plan_detail's data."""
    plan = detail["plan"]
    workbook = Workbook()
    workbook.properties.title = str(plan)
    targets = workbook.active
    targets.title = "目标 Targets"
    _write_targets(targets, detail["goals"])
    budget = workbook.create_sheet("预算 Budget")
    _write_budget(budget, detail["budget"])
    for sheet in (targets, budget):
        _fit_columns(sheet)
        sheet.auto_filter.ref = sheet.dimensions if sheet.max_row > 1 else None
    return workbook_bytes(workbook)
