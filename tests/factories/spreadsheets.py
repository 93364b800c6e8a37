"""Workbooks built in the tests, good or deliberately broken (no binary fixtures)."""

import io
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
WORKBOOK = "xl/workbook.xml"
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"


def workbook_bytes(rows: list[list]) -> bytes:
    """An .xlsx of one sheet holding these rows, as openpyxl writes it."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one part replaced (or added), every part deflated."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info))
        target.writestr(name, content)
    return output.getvalue()


def with_sheet_rows(data: bytes, rows_xml: bytes) -> bytes:
    """The workbook with its first sheet's rows replaced by this XML."""
    return with_part(data, SHEET, SHEET_START + rows_xml + SHEET_END)


def blank_rows_bomb(data: bytes, *, unpacked_bytes: int) -> bytes:
    """A "zip bomb": the sheet is blank rows, about `unpacked_bytes` of them once unpacked,
    packed hundreds of times tighter than a table of data."""
    row = b"<row/>"
    return with_sheet_rows(data, row * (unpacked_bytes // len(row)))


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (level, (b"&lol%d;" % (level - 1) if level > 1 else b"&lol;") * 10)
        for level in range(1, 10)
    )
    + b"]>"
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>' + SHEET_END
)
