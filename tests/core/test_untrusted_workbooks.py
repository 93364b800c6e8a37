"""core.spreadsheets reads untrusted uploads: a damaged, malicious or bloated file is a
FileProblem worded for a person, never a server error, and is refused before it is read
when it would unpack to too much."""

import io
import os
import time
import zipfile

import pytest

from core.spreadsheets import (
    MAX_CELLS_IN_A_ROW,
    PACKING_RATIO_FLOOR,
    ROW_LIMIT_SLACK,
    FileProblem,
    check_workbook_archive,
    csv_rows,
    xlsx_rows,
)
from tests.factories.spreadsheets import (
    BILLION_LAUGHS,
    SHEET,
    WORKBOOK,
    blank_rows_bomb,
    part,
    with_part,
    with_sheet_rows,
    workbook_bytes,
)

GOOD = workbook_bytes([["date", "value"], ["2026-06-01", 5]])


def _read(data: bytes, **kwargs) -> list:
    return list(xlsx_rows(data, **kwargs))


def test_a_good_workbook_passes_the_checks_and_is_read():
    check_workbook_archive(GOOD)

    assert _read(GOOD) == [(1, ("date", "value")), (2, ("2026-06-01", 5))]


# Damaged -----------------------------------------------------------------------------------


def test_a_truncated_sheet_is_a_damaged_workbook():
    sheet = part(GOOD, SHEET)

    with pytest.raises(FileProblem, match="could not be read: it is damaged"):
        _read(with_part(GOOD, SHEET, sheet[: len(sheet) // 2]))


def test_a_broken_workbook_part_is_a_damaged_workbook():
    with pytest.raises(FileProblem, match="could not be read: it is damaged"):
        _read(with_part(GOOD, WORKBOOK, b"<workbook><sheets><sheet name="))


def test_a_sheet_in_utf16_is_refused_as_no_spreadsheet_program_writes_it():
    with pytest.raises(FileProblem, match="damaged"):
        check_workbook_archive(with_part(GOOD, SHEET, part(GOOD, SHEET).decode().encode("utf-16")))


# Malicious ---------------------------------------------------------------------------------


def test_a_billion_laughs_sheet_is_refused_before_it_is_parsed():
    started = time.monotonic()

    with pytest.raises(FileProblem, match="declares its own XML entities"):
        _read(with_part(GOOD, SHEET, BILLION_LAUGHS))

    assert time.monotonic() - started < 5


def test_a_dtd_split_across_two_reads_of_a_part_is_found():
    # A comment of random text (which packs like data) puts the declaration astride the
    # first megabyte's end.
    comment = b"<!--" + os.urandom(512 * 1024 - 16).hex().encode() + b"-->"
    sheet = b'<?xml version="1.0"?>' + comment + b'<!DOCTYPE x [<!ENTITY a "b">]>' + part(GOOD, SHEET)[38:]
    assert sheet.index(b"<!DOCTYPE") < 1024 * 1024 < sheet.index(b"<!DOCTYPE") + 9

    with pytest.raises(FileProblem, match="declares its own XML entities"):
        check_workbook_archive(with_part(GOOD, SHEET, sheet))


def test_a_nul_character_in_a_cell_of_a_sheet_is_a_damaged_workbook():
    # XML cannot hold a NUL, not even as a character reference.
    sheet = b'<row r="1"><c r="A1" t="inlineStr"><is><t>bad&#0;cell</t></is></c></row>'

    with pytest.raises(FileProblem, match="damaged"):
        _read(with_sheet_rows(GOOD, sheet))


def test_a_nul_character_in_a_csv_cell_is_refused_naming_the_row():
    with pytest.raises(FileProblem, match="Row 3 holds a NUL character"):
        list(csv_rows("date,value\n2026-06-01,5\n2026-06-02,5\x00\n"))


@pytest.mark.parametrize(("cells", "refused"), [(MAX_CELLS_IN_A_ROW, False), (MAX_CELLS_IN_A_ROW + 1, True)])
def test_a_row_wider_than_excel_allows_is_refused(cells, refused):
    data = with_sheet_rows(GOOD, b'<row r="1">' + b"<c/>" * cells + b'</row><row r="2"><c/></row>')

    if refused:
        with pytest.raises(FileProblem, match="more than 16,384 cells"):
            check_workbook_archive(data)
    else:
        check_workbook_archive(data)


# Bloated -----------------------------------------------------------------------------------


def test_a_workbook_that_unpacks_to_more_than_the_setting_is_refused_before_it_is_read(settings):
    data = blank_rows_bomb(GOOD, unpacked_bytes=3 * 1024 * 1024)
    settings.SPREADSHEET_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    started = time.monotonic()

    with pytest.raises(FileProblem, match=r"unpacks to 3\.1 MB, more than the 2 MB an import may hold"):
        _read(data)

    assert time.monotonic() - started < 2


def test_the_unpacked_size_is_checked_against_the_limit_exactly(settings):
    unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(GOOD)).infolist())

    settings.SPREADSHEET_MAX_UNPACKED_BYTES = unpacked
    check_workbook_archive(GOOD)
    settings.SPREADSHEET_MAX_UNPACKED_BYTES = unpacked - 1
    with pytest.raises(FileProblem, match="unpacks to"):
        check_workbook_archive(GOOD)


def test_a_part_packed_far_more_tightly_than_data_is_refused_whatever_its_size():
    # 4 MB of blank rows pack to a few kilobytes: hundreds to 1.
    with pytest.raises(FileProblem, match=r"packed \d+ to 1"):
        check_workbook_archive(blank_rows_bomb(GOOD, unpacked_bytes=4 * 1024 * 1024))


def test_a_small_part_may_pack_tightly(settings):
    # Under the floor the ratio is not judged: a small sheet of repeated cells is fine.
    check_workbook_archive(blank_rows_bomb(GOOD, unpacked_bytes=PACKING_RATIO_FLOOR - 1024))


@pytest.mark.parametrize(("blank_rows", "refused"), [(ROW_LIMIT_SLACK, False), (ROW_LIMIT_SLACK + 1, True)])
def test_blank_rows_count_against_the_row_limit_in_a_workbook(blank_rows, refused):
    # A row far down the sheet makes openpyxl produce every blank row above it.
    data = with_sheet_rows(GOOD, b'<row r="1"><c r="A1" t="inlineStr"><is><t>date</t></is></c></row>')
    data = with_sheet_rows(data, b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (10 + blank_rows, 10 + blank_rows))

    if refused:
        with pytest.raises(FileProblem, match="more than 10 rows, counting empty ones"):
            _read(data, max_rows=10)
    else:
        assert _read(data, max_rows=10)[-1] == (10 + blank_rows, (1,))


@pytest.mark.parametrize(("lines", "refused"), [(10 + ROW_LIMIT_SLACK, False), (11 + ROW_LIMIT_SLACK, True)])
def test_blank_rows_count_against_the_row_limit_in_a_csv_file(lines, refused):
    text = "date,value\n" + "\n" * (lines - 1)

    if refused:
        with pytest.raises(FileProblem, match="more than 10 rows, counting empty ones"):
            list(csv_rows(text, max_rows=10))
    else:
        assert len(list(csv_rows(text, max_rows=10))) == lines


def test_a_sheet_of_a_million_blank_rows_is_refused_in_seconds():
    data = with_sheet_rows(GOOD, b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>')
    started = time.monotonic()

    with pytest.raises(FileProblem, match="counting empty ones"):
        _read(data, max_rows=200_000)

    assert time.monotonic() - started < 5


def test_a_workbook_with_more_cells_than_the_import_reads_is_refused_before_it_is_read():
    data = with_sheet_rows(GOOD, b'<row r="1"><c/><c/><c/></row><row r="2"><c/><c/></row>')

    check_workbook_archive(data, max_cells=5)
    with pytest.raises(FileProblem, match="more than 4 cells, more than this import reads"):
        check_workbook_archive(data, max_cells=4)


@pytest.mark.parametrize(("cells", "refused"), [(MAX_CELLS_IN_A_ROW, False), (MAX_CELLS_IN_A_ROW + 1, True)])
def test_a_csv_line_wider_than_excel_allows_is_refused_before_csv_splits_it(cells, refused):
    text = "a,b\n1,2\n" + "," * (cells - 1) + "\n"

    if refused:
        with pytest.raises(FileProblem, match="Line 3 of the file has more than 16,384 cells"):
            list(csv_rows(text))
    else:
        assert len(list(csv_rows(text))[-1][1]) == MAX_CELLS_IN_A_ROW
