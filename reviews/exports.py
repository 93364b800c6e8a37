"""The review as files: form 4 as XLSX with the template's Chinese headers (formula-safe, see
core.formulas) and the retrospective report (《营销执行复盘报告》) as a Word document."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from core.formulas import workbook_bytes
from plans.models import Unit

from . import reading

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Form 4's columns, as the template writes them.
FORM4_HEADERS = ["评估维度", "核心指标", "目标值", "原目标值", "实际值", "达成率", "分析说明(如未达标原因)", "改进建议"]


def _number(value):
    return None if value is None else float(value)


def form4_workbook(detail: dict) -> bytes:
    """Form 4 (营销方案执行效果评估表): one row per line, figures as numbers, attainment as a
    fraction formatted as a percent; an ROI reads 1:4.2 beside its number."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "效果评估"
    sheet.append(FORM4_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in detail["lines"]:
        figures = line.figures
        sheet.append(
            [
                line.dimension_name,
                line.name,
                reading.ratio(figures.target) if line.metric.unit == Unit.RATIO else _number(figures.target),
                reading.ratio(figures.original_target)
                if line.metric.unit == Unit.RATIO and figures.original_target is not None
                else _number(figures.original_target),
                reading.ratio(figures.actual) if line.metric.unit == Unit.RATIO else _number(figures.actual),
                None if figures.attainment is None else float(figures.attainment) / 100,
                line.analysis,
                line.suggestion,
            ]
        )
        sheet.cell(row=sheet.max_row, column=6).number_format = "0%"
    for column, width in zip("ABCDEFGH", [12, 24, 14, 14, 14, 10, 40, 40], strict=True):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(workbook)


def report_docx(detail: dict) -> bytes:
    """The retrospective report in the reader's language: achievement overview, key data
    comparison (form 4), what worked, lessons, follow-up actions."""
    review, campaign = detail["review"], detail["campaign"]
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(10.5)
    # Chinese text in a Chinese font (Word's East Asian font of the style).
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")
    document.add_heading(_("Marketing execution review report"), level=0)
    document.add_paragraph(
        f"{campaign.name} · {campaign.start_date.isoformat()} – {campaign.end_date.isoformat()} · "
        f"{review.get_state_display()}"
    )
    if review.meeting_date:
        names = ", ".join(person.display_name for person in review.participants.all())
        document.add_paragraph(f"{_('Review meeting')}: {review.meeting_date.isoformat()} {names}".strip())
    document.add_heading(_("Achievement overview"), level=1)
    document.add_paragraph(review.overview or "–")
    roi = detail.get("roi")
    if roi is not None:
        target, actual = reading.figure(roi.figures.target, Unit.RATIO), reading.figure(roi.figures.actual, Unit.RATIO)
        document.add_paragraph(
            f"{_('ROI (marketing net profit / marketing cost)')}: {_('target')} {target} · {_('actual')} {actual}"
        )
    document.add_heading(_("Key data comparison"), level=1)
    headers = [
        _("Dimension"),
        _("Metric"),
        _("Target"),
        _("Actual"),
        _("Attainment"),
        _("Analysis"),
        _("Improvement suggestion"),
    ]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for line in detail["lines"]:
        figures, unit = line.figures, line.metric.unit
        target = reading.figure(figures.target, unit)
        attainment = f"{reading.whole_percent(figures.attainment)} {reading.verdict(figures)}".strip()
        if figures.adjusted:
            target += f" ({_('original')} {reading.figure(figures.original_target, unit)})"
            attainment += f" ({_('against the original')} {reading.whole_percent(figures.original_attainment)})"
        row = table.add_row().cells
        values = [line.dimension_name, line.name, target, reading.figure(figures.actual, unit), attainment]
        for cell, text in zip(row, [*values, line.analysis, line.suggestion], strict=True):
            cell.text = text
    if review.conclusion:
        document.add_paragraph(f"{_('Overall assessment')}: {review.conclusion}")
    document.add_heading(_("What worked"), level=1)
    document.add_paragraph(review.what_worked or "–")
    for lesson in review.lessons.all():
        if lesson.kind == "worked":
            document.add_paragraph(lesson.text, style="List Bullet")
    document.add_heading(_("Lessons"), level=1)
    document.add_paragraph(review.shortfalls or "–")
    for lesson in review.lessons.all():
        if lesson.kind != "worked":
            document.add_paragraph(lesson.text, style="List Bullet")
    document.add_heading(_("Follow-up actions"), level=1)
    for action in review.actions.all():
        document.add_paragraph(
            f"{action.action} — {action.owner.display_name}, {_('due')} {action.due_date.isoformat()} "
            f"({action.get_state_display()})",
            style="List Number",
        )
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
