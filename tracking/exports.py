"""XLSX export of a weekly progress log in the shape of form 2 of the execution tracking
template (表2 营销执行进度跟踪表(周度)): the template's seven columns, in its order and with its
Chinese headers, one row per stage. The log's week, meeting, participants and summary are
the second sheet, the week's channel ranking (渠道效能榜) the third; English labels are the
header cells' comments. Written through core.formulas, so no cell is ever a formula."""

from datetime import datetime

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.formulas import workbook_bytes
from plans.ranking import Ranking
from plans.weeks import week_end

from .models import WeeklyLog

SHEET_TITLE = "表2 营销执行进度跟踪表(周度)"
ABOUT_TITLE = "说明 About"
RANKING_TITLE = "渠道效能榜 Channel ranking"

# (row attribute, header in the file (the template's words), English label, column width)
COLUMNS = [
    ("stage_name", "阶段", "Stage", 14),
    ("planned_tasks", "本周计划任务", "Planned tasks this week", 36),
    ("completion", "完成情况(数量/质量)", "Completion (quantity / quality)", 32),
    ("key_figures", "关键数据指标(如销量、曝光量)", "Key metric figures (sales, exposure…)", 40),
    ("problems", "存在问题及原因分析", "Problems and their causes", 36),
    ("measures", "解决措施与责任人", "Measures and their owners", 32),
    ("next_focus", "下周计划重点", "Next week's focus", 32),
]
RANKING_COLUMNS = [
    ("排名 Rank", 8),
    ("渠道 Channel", 24),
    ("产出 Output", 14),
    ("成本 Cost", 14),
    ("每万元产出 Output per ¥10,000", 18),
    ("转化率 Conversion %", 14),
    ("上周排名 Last week", 12),
    ("变化 Change", 10),
]
STATE_ZH = {"draft": "草稿", "published": "已发布", "superseded": "已更正"}
ARROWS = {"up": "↑", "down": "↓", "same": "→", "new": "新"}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDE7F3")
COMMENT_AUTHOR = "Marketing plan tracker"


def weekly_log_workbook(*, log: WeeklyLog, ranking: Ranking | None = None, exported_by=None, exported_at=None) -> bytes:
    """A weekly log (with its rows prefetched) as an XLSX file shaped like form 2."""
    workbook = Workbook()
    workbook.properties.title = f"{log.campaign.name} · {log.week_label} · {SHEET_TITLE}"
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([header for _key, header, _label, _width in COLUMNS])
    for position, (_key, _header, label, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=position)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.comment = Comment(label, COMMENT_AUTHOR, width=240, height=60)
        sheet.column_dimensions[get_column_letter(position)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in log.rows.all():
        sheet.append([getattr(row, key) for key, *_rest in COLUMNS])
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    sheet.freeze_panes = "B2"
    _write_about(workbook.create_sheet(ABOUT_TITLE), log, exported_by, exported_at)
    if ranking is not None:
        _write_ranking(workbook.create_sheet(RANKING_TITLE), ranking)
    return workbook_bytes(workbook)


def _write_about(sheet, log: WeeklyLog, exported_by, exported_at: datetime | None) -> None:
    sheet.append(["营销方案 Campaign", log.campaign.name])
    sheet.append(["周次 Week", f"{log.week_label} ({log.week:%Y-%m-%d} – {week_end(log.week):%Y-%m-%d})"])
    sheet.append(["版本 Revision", log.revision])
    sheet.append(["状态 State", f"{STATE_ZH.get(log.state, log.state)} {log.state}"])
    sheet.append(["会议日期 Meeting date", log.meeting_date])
    sheet.append(["参会人员 Participants", log.participants])
    sheet.append(["总结 Summary", log.summary])
    if log.published_at is not None:
        sheet.append(["发布人 Published by", log.published_by.display_name if log.published_by_id else ""])
    if exported_at is not None:
        sheet.append(["导出时间 Exported at", exported_at.strftime("%Y-%m-%d %H:%M")])
    if exported_by is not None:
        sheet.append(["导出人 Exported by", exported_by.display_name])
    for row in sheet.iter_rows():
        row[0].font = HEADER_FONT
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 80


def _write_ranking(sheet, ranking: Ranking) -> None:
    sheet.append([header for header, _width in RANKING_COLUMNS])
    for position, (_header, width) in enumerate(RANKING_COLUMNS, start=1):
        sheet.cell(row=1, column=position).font = HEADER_FONT
        sheet.column_dimensions[get_column_letter(position)].width = width
    for row in ranking.rows:
        sheet.append(
            [
                row.rank,
                f"{row.name_zh} {row.name_en}",
                row.output,
                row.cost,
                row.efficiency,
                row.conversion,
                row.previous_rank,
                f"{ARROWS.get(row.arrow, '')}{abs(row.movement) if row.movement else ''}",
            ]
        )
