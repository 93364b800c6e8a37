from datetime import date

import pytest

from core.spreadsheets import FileProblem, date_in_text, header_column, header_columns

ALIASES = {"date": "date", "日期": "date", "due_date": "due", "截止时间": "due", "负责人": "owner", "r": "owner"}


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("日期", "date"),
        ("  DATE ", "date"),
        ("\ufeffdate", "date"),
        ("Due Date", "due"),
        ("due-date", "due"),
        ("日期 Date", "date"),
        ("日期 (Date)", "date"),
        ("负责人（R）", "owner"),
        ("截止时间（YYYY-MM-DD）", "due"),
        ("☑ 负责人", "owner"),
        ("负责人:", "owner"),
        ("负责人 *", "owner"),
    ],
)
def test_a_header_names_its_column_whatever_its_case_spacing_decoration_or_note(header, column):
    assert header_column(header, ALIASES) == column


@pytest.mark.parametrize("header", ["日期 Owner", "负责人 date", "note", "", None])
def test_a_header_that_names_no_column_or_two_different_ones_is_not_a_column(header):
    assert header_column(header, ALIASES) is None


def test_header_columns_gives_positions_and_headers_as_written_ignoring_other_columns():
    index, written = header_columns(("备注", " 日期 ", "负责人 R"), ALIASES)

    assert (index, written) == ({"date": 1, "owner": 2}, {"date": "日期", "owner": "负责人 R"})


def test_two_headers_for_the_same_column_are_a_file_problem_that_names_both():
    with pytest.raises(FileProblem) as problem:
        header_columns(("日期", "Date"), ALIASES, labels={"date": "date"})

    assert problem.value.message == "The columns “日期” and “Date” both hold the date: keep one of them."


def test_without_labels_the_problem_says_the_two_headers_hold_the_same_thing():
    with pytest.raises(FileProblem) as problem:
        header_columns(("日期", "Date"), ALIASES)

    assert problem.value.message == "The columns “日期” and “Date” hold the same thing: keep one of them."


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-06-01", date(2026, 6, 1)),
        ("2026/6/1", date(2026, 6, 1)),
        ("2026.6.1", date(2026, 6, 1)),
        ("2026年6月1日", date(2026, 6, 1)),
        (" 2026-06-01 00:00:00 ", date(2026, 6, 1)),
        ("2026-02-30", None),
        ("2026-06-01 09:30", None),
        ("June 1", None),
    ],
)
def test_dates_are_read_as_people_type_them(text, day):
    assert date_in_text(text) == day
