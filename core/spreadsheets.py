"""Reading an uploaded CSV or XLSX file into numbered rows, for every import of the project
(metric values, tasks): size limit, file kind, text encodings that Chinese Excel writes,
headers in Chinese or English, dates as people type them, and problems worded for the
person who uploaded the file."""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import IO

from django.utils.translation import gettext as _

TEXT_EXTENSIONS = {"", ".csv", ".txt", ".tsv"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format

# 2026-06-01, 2026/6/1, 2026.6.1, 2026年6月1日, optionally followed by a midnight time
# (what spreadsheets write when a date cell is saved as text).
DATE_PATTERN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0?0:00(?::00(?:\.0+)?)?)?")
# In a header, brackets hold either the column's name in the other language ("日期 (Date)")
# or a note ("截止时间（YYYY-MM-DD）"); check boxes, %, * and colons are decoration.
BRACKETS = re.compile(r"[()（）\[\]]")
BRACKETED = re.compile(r"\([^)]*\)|（[^）]*）|\[[^\]]*\]")
CHECKBOX_CHARACTERS = "□■☐☑☒✓✔√"
DECORATION = re.compile(rf"[{CHECKBOX_CHARACTERS}%:：*]")


class FileProblem(Exception):
    """The file as a whole cannot be imported; the message says why, for a person."""

    def __init__(self, message: str, column: str = ""):
        super().__init__(message)
        self.message = message
        self.column = column


def extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > max(name.rfind("/"), name.rfind("\\")) else ""


def read_upload(file: IO[bytes], *, max_bytes: int) -> tuple[bytes, str]:
    """The bytes and name of an uploaded file, refused when larger than max_bytes."""
    too_large = FileProblem(
        _("The file is larger than %(size)s MB: split it into smaller files.") % {"size": max_bytes // (1024 * 1024)}
    )
    name = getattr(file, "name", "") or ""
    if (getattr(file, "size", None) or 0) > max_bytes:
        raise too_large
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    return data, name


def is_workbook(data: bytes, name: str) -> bool:
    """Whether the file is an XLSX workbook (True) or CSV text (False); anything else is refused."""
    suffix = extension(name)
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    if data.startswith(ZIP_MAGIC):
        return True
    if suffix in XLSX_EXTENSIONS:
        raise FileProblem(_("%(name)s is not a valid Excel workbook (.xlsx).") % {"name": name})
    if data.startswith(OLE_MAGIC) or suffix == ".xls":
        raise FileProblem(
            _("%(name)s is in the old Excel format (.xls): save it as .xlsx or as CSV and upload it again.")
            % {"name": name}
        )
    is_utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if suffix not in TEXT_EXTENSIONS or (b"\x00" in data[:4096] and not is_utf16):
        raise FileProblem(_("%(name)s is neither a CSV file nor an Excel workbook (.xlsx).") % {"name": name})
    return False


def decode_text(data: bytes) -> str:
    """UTF-8 with or without a BOM; Chinese Excel saves "CSV" in GB18030 (GBK), and
    "Unicode text" in UTF-16."""
    encodings = ["utf-16"] if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem(_("The file's text could not be read: save it as CSV UTF-8 and upload it again."))


def csv_rows(text: str) -> Iterator[tuple[int, tuple]]:
    """(row number as a spreadsheet shows it, cells); the delimiter is guessed from the first line."""
    first_line = text.partition("\n")[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # A record is one spreadsheet row, even when a quoted cell spans lines.
        for number, cells in enumerate(reader, start=1):
            yield number, tuple(cells)
    except csv.Error as exc:
        raise FileProblem(
            _("Row %(row)s could not be read as CSV: %(error)s") % {"row": reader.line_num, "error": exc}
        ) from exc


def xlsx_rows(
    data: bytes, *, sheet_title: str | None = None, cell: Callable = lambda c: c.value
) -> Iterator[tuple[int, tuple]]:
    """(row number, cells) of the named sheet, else the first; `cell` turns an openpyxl cell
    into the value to check."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileProblem(_("The file is not a valid Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook[sheet_title] if sheet_title in workbook.sheetnames else workbook.worksheets[0]
        # Some programs write a wrong sheet size; reading without it gets every row.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(), start=1):
            yield number, tuple(cell(c) for c in row)
    finally:
        workbook.close()


def upload_rows(file: IO[bytes], *, max_bytes: int, sheet_title: str | None = None, cell: Callable = lambda c: c.value):
    """The rows of an uploaded CSV or XLSX file, and whether it was CSV (where an unquoted
    comma, as in 1,200, pushes cells into the next column)."""
    data, name = read_upload(file, max_bytes=max_bytes)
    if is_workbook(data, name):
        return xlsx_rows(data, sheet_title=sheet_title, cell=cell), False
    return csv_rows(decode_text(data)), True


# Cells -----------------------------------------------------------------------------------


def blank(cell) -> bool:
    """Whether a cell is empty or only white space."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def date_in_text(text: str) -> date | None:
    """The date a person typed (2026-06-01, 2026/6/1, 2026.6.1, 2026年6月1日), or None."""
    match = DATE_PATTERN.fullmatch(text.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


# Headers ---------------------------------------------------------------------------------


def header_column(header, aliases: Mapping[str, str]) -> str | None:
    """The column a header cell names, by `aliases` (normalised header -> column: lower case,
    words joined by underscores), or None. Case, spacing, decoration and a note in brackets
    do not matter; a Chinese header followed by its English name counts when both agree."""
    text = str(header or "").replace("\ufeff", "").casefold()
    # First with what the brackets hold (the name in the other language), then without it (a note).
    for variant in (BRACKETS.sub(" ", text), BRACKETED.sub(" ", text)):
        variant = re.sub(r"[\s_\-]+", "_", DECORATION.sub(" ", variant)).strip("_")
        if variant in aliases:
            return aliases[variant]
        # "日期 Date", "负责人 Responsible": the Chinese header followed by its English one.
        match = re.fullmatch(r"([^\x00-\x7f]+)_?([\x00-\x7f]*)", variant)
        if match and match[1] in aliases:
            column = aliases[match[1]]
            if not match[2] or aliases.get(match[2]) == column:
                return column
    return None


def header_columns(
    cells: tuple, aliases: Mapping[str, str], *, labels: Mapping[str, str] | None = None
) -> tuple[dict[str, int], dict[str, str]]:
    """Where each known column of a header row is, and its header as the file writes it.
    Other columns (a note, a total) are ignored; two headers naming the same column are a
    FileProblem, which names the column by `labels` when given."""
    index, header = {}, {}
    for position, cell in enumerate(cells):
        column = header_column(cell, aliases)
        if column is None:
            continue
        written = str(cell).strip().replace("\ufeff", "")
        if column in index:
            message = (
                _("The columns “%(first)s” and “%(second)s” both hold the %(column)s: keep one of them.")
                % {"first": header[column], "second": str(cell).strip(), "column": labels[column]}
                if labels
                else _("The columns “%(first)s” and “%(second)s” hold the same thing: keep one of them.")
                % {"first": header[column], "second": str(cell).strip()}
            )
            raise FileProblem(message, column=str(cell).strip())
        index[column], header[column] = position, written
    return index, header
