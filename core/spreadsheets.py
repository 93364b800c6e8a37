"""Reading an uploaded CSV or XLSX file into numbered rows, for every import of the project
(metric values, tasks): size limit, file kind, text encodings that Chinese Excel writes,
headers in Chinese or English, dates as people type them, and problems worded for the
person who uploaded the file.

An upload is untrusted: a workbook is a zip of XML parts, so before openpyxl reads one its
parts are checked (what they unpack to, how tightly they are packed, no DTD, no row wider
than Excel's), every row read counts against the import's row limit (blank ones too), and
whatever else a damaged file makes the parser raise becomes a FileProblem."""

import csv
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import IO
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.utils.translation import gettext as _

from .formatting import format_number

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

logger = logging.getLogger(__name__)

# A workbook is refused before it is read when its parts unpack to more than
# settings.SPREADSHEET_MAX_UNPACKED_BYTES, or a part larger than this floor is packed more
# tightly than settings.SPREADSHEET_MAX_PACKING_RATIO to 1 (sheets of data pack about 12 to 1;
# a "zip bomb" of blank rows, hundreds to 1).
PACKING_RATIO_FLOOR = 1024 * 1024
MAX_PARTS = 1000
# Excel's own width: a row with more cells than this is no spreadsheet's.
MAX_CELLS_IN_A_ROW = 16_384
# Rows read beyond an import's row limit, for title lines, headers and the odd blank line.
ROW_LIMIT_SLACK = 100
SCAN_CHUNK_BYTES = 1024 * 1024
# The start of a row or of a cell element in a sheet's XML, with or without a namespace prefix.
ROW_OR_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s/>]")
XML_PART_SUFFIXES = (".xml", ".rels", ".vml")


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


def csv_rows(text: str, *, max_rows: int | None = None) -> Iterator[tuple[int, tuple]]:
    """(row number as a spreadsheet shows it, cells); the delimiter is guessed from the first
    line. More than `max_rows` rows (blank ones count), or a line wider than Excel allows (a
    line of millions of commas would become millions of cells in memory), is a FileProblem."""
    first_line = text.partition("\n")[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    for number, line in enumerate(text.split("\n"), start=1):
        if line.count(delimiter) >= MAX_CELLS_IN_A_ROW:
            raise FileProblem(
                _("Line %(line)s of the file has more than %(max)s cells, more than Excel allows: it is refused.")
                % {"line": number, "max": format_number(MAX_CELLS_IN_A_ROW)}
            )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    limit = None if max_rows is None else max_rows + ROW_LIMIT_SLACK
    try:
        # A record is one spreadsheet row, even when a quoted cell spans lines.
        for number, cells in enumerate(reader, start=1):
            if limit is not None and number > limit:
                raise _too_many_rows(max_rows)
            yield number, _no_nul(number, tuple(cells))
    except csv.Error as exc:
        raise FileProblem(
            _("Row %(row)s could not be read as CSV: %(error)s") % {"row": reader.line_num, "error": exc}
        ) from exc


def _damaged() -> FileProblem:
    return FileProblem(
        _(
            "The workbook could not be read: it is damaged or was not saved by a spreadsheet program. "
            "Open it in Excel or WPS, save it again as .xlsx (or as CSV) and upload it again."
        )
    )


def _too_many_rows(max_rows: int) -> FileProblem:
    return FileProblem(
        _(
            "The file has more than %(max)s rows, counting empty ones: delete the empty rows below the "
            "table, or split the file into smaller ones."
        )
        % {"max": format_number(max_rows)}
    )


def _too_many_cells(max_cells: int) -> FileProblem:
    return FileProblem(
        _(
            "The file has more than %(max)s cells, more than this import reads: delete the columns and "
            "rows it does not need and upload it again."
        )
        % {"max": format_number(max_cells)}
    )


def check_workbook_archive(data: bytes, *, max_cells: int | None = None) -> None:
    """Refuse, before it is parsed, a workbook that would unpack to more than the site allows,
    is packed like a "zip bomb", declares a DTD (entity expansion: "billion laughs"), has a
    row wider than Excel allows or more than `max_cells` cells (openpyxl reads about 100,000
    cells a second). Each part is unpacked once, in chunks, never whole."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise FileProblem(_("The file is not a valid Excel workbook (.xlsx).")) from exc
    if len(parts) > MAX_PARTS:
        raise _damaged()
    max_unpacked = settings.SPREADSHEET_MAX_UNPACKED_BYTES
    unpacked = sum(part.file_size for part in parts)
    if unpacked > max_unpacked:
        raise FileProblem(
            _(
                "The workbook unpacks to %(size)s MB, more than the %(limit)s MB an import may hold: "
                "delete the empty rows and columns below and beside the table (or save it as CSV) "
                "and upload it again."
            )
            % {"size": _megabytes(unpacked, up=True), "limit": _megabytes(max_unpacked)}
        )
    max_ratio = settings.SPREADSHEET_MAX_PACKING_RATIO
    for part in parts:
        if part.file_size > PACKING_RATIO_FLOOR and part.file_size > max_ratio * max(part.compress_size, 1):
            raise FileProblem(
                _(
                    "The workbook is packed %(ratio)s to 1, far more tightly than a table of data: it is "
                    "mostly empty rows or cells. Delete them (or save the sheet as CSV) and upload it again."
                )
                % {"ratio": part.file_size // max(part.compress_size, 1)}
            )
    cells = _CellCount(max_cells)
    for part in parts:
        try:
            with archive.open(part) as stream:
                _scan_part(stream, cells if part.filename.lower().endswith(XML_PART_SUFFIXES) else None)
        except FileProblem:
            raise
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError, NotImplementedError) as exc:
            raise _damaged() from exc


def _megabytes(size: int, *, up: bool = False) -> str:
    """Megabytes to a tenth (no trailing zero); rounded up for a size over a limit, so that
    100.01 MB never reads as the 100 MB it exceeds."""
    tenths = -(-size * 10 // (1024 * 1024)) if up else round(size * 10 / (1024 * 1024))
    return format_number(Decimal(tenths) / 10, places=1)


class _CellCount:
    """Cells counted in a workbook's XML parts, by row and in all."""

    def __init__(self, max_cells: int | None):
        self.max_cells = max_cells
        self.in_row = self.total = 0

    def count(self, text: bytes) -> None:
        for match in ROW_OR_CELL_TAG.finditer(text):
            if match[1] == b"row":
                self.in_row = 0
                continue
            self.in_row += 1
            self.total += 1
            if self.in_row > MAX_CELLS_IN_A_ROW:
                raise FileProblem(
                    _("A row of the workbook has more than %(max)s cells, more than Excel allows: it is refused.")
                    % {"max": format_number(MAX_CELLS_IN_A_ROW)}
                )
            if self.max_cells is not None and self.total > self.max_cells:
                raise _too_many_cells(self.max_cells)


def _scan_part(stream: IO[bytes], cells: _CellCount | None) -> None:
    """Read one part in chunks: no DTD anywhere; and in an XML part (`cells` given), UTF-8
    (what spreadsheet programs write; a NUL byte means UTF-16 or garbage) and cells counted."""
    is_xml = cells is not None
    carry = b""
    if is_xml:
        cells.in_row = 0
    first = True
    while chunk := stream.read(SCAN_CHUNK_BYTES):
        if first and is_xml and (chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in chunk[:4]):
            raise _damaged()
        first = False
        buffer = carry + chunk
        # Cut at the last "<": a tag is never split between two passes.
        cut = buffer.rfind(b"<")
        if cut <= 0:
            cut = len(buffer) if len(buffer) > SCAN_CHUNK_BYTES else 0
        done, carry = buffer[:cut], buffer[cut:]
        if b"<!DOCTYPE" in done or b"<!ENTITY" in done:
            raise FileProblem(
                _("The workbook declares its own XML entities, which no spreadsheet program writes: it is refused.")
            )
        if is_xml:
            cells.count(done)
    if b"<!DOCTYPE" in carry or b"<!ENTITY" in carry:
        raise FileProblem(
            _("The workbook declares its own XML entities, which no spreadsheet program writes: it is refused.")
        )
    if is_xml:
        cells.count(carry)


def _no_nul(number: int, cells: tuple) -> tuple:
    """PostgreSQL (and any text) cannot hold a NUL character: a cell with one is a damaged file."""
    for cell in cells:
        if isinstance(cell, str) and "\x00" in cell:
            raise FileProblem(
                _(
                    "Row %(row)s holds a NUL character, which text cannot contain: the file is damaged "
                    "or is not a table's text. Save it again as CSV UTF-8 or .xlsx and upload it again."
                )
                % {"row": number}
            )
    return cells


def xlsx_rows(
    data: bytes,
    *,
    sheet_title: str | None = None,
    cell: Callable = lambda c: c.value,
    max_rows: int | None = None,
    max_cells: int | None = None,
) -> Iterator[tuple[int, tuple]]:
    """(row number, cells) of the named sheet, else the first; `cell` turns an openpyxl cell
    into the value to check. More than `max_rows` rows (blank ones count) or `max_cells`
    cells is a FileProblem."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_workbook_archive(data, max_cells=max_cells)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileProblem(_("The file is not a valid Excel workbook (.xlsx).")) from exc
    except Exception as exc:
        # openpyxl raises anything (ParseError, KeyError, TypeError…) on a damaged workbook.
        logger.info("Unreadable workbook: %r", exc)
        raise _damaged() from exc
    limit = None if max_rows is None else max_rows + ROW_LIMIT_SLACK
    try:
        try:
            sheet = workbook[sheet_title] if sheet_title in workbook.sheetnames else workbook.worksheets[0]
            # Some programs write a wrong sheet size; reading without it gets every row.
            sheet.reset_dimensions()
            rows = sheet.iter_rows()
            number = 0
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    break
                number += 1
                if limit is not None and number > limit:
                    raise _too_many_rows(max_rows)
                yield number, _no_nul(number, tuple(cell(c) for c in row))
        except FileProblem:
            raise
        except (ParseError, Exception) as exc:  # the same, while the sheet is read
            logger.info("Unreadable workbook: %r", exc)
            raise _damaged() from exc
    finally:
        workbook.close()


def upload_rows(
    file: IO[bytes],
    *,
    max_bytes: int,
    max_rows: int | None = None,
    max_cells: int | None = None,
    sheet_title: str | None = None,
    cell: Callable = lambda c: c.value,
):
    """The rows of an uploaded CSV or XLSX file, and whether it was CSV (where an unquoted
    comma, as in 1,200, pushes cells into the next column). Past `max_rows` rows, blank ones
    included, or a workbook of more than `max_cells` cells, reading stops with a FileProblem."""
    data, name = read_upload(file, max_bytes=max_bytes)
    if is_workbook(data, name):
        return xlsx_rows(data, sheet_title=sheet_title, cell=cell, max_rows=max_rows, max_cells=max_cells), False
    return csv_rows(decode_text(data), max_rows=max_rows), True


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
