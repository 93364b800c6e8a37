"""Importing form 1 (the RACI import) from a damaged or bloated file: a message for the person,
never a server error (PostgreSQL refuses text holding a NUL), and no task is saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from tasks import imports, services
from tasks.imports import import_tasks
from tasks.models import Task
from tests.factories import CampaignFactory, UserFactory
from tests.factories.spreadsheets import SHEET, blank_rows_bomb, part, with_part, with_sheet_rows, workbook_bytes

pytestmark = pytest.mark.django_db

HEADER = ["任务名称", "所属阶段", "负责人", "截止时间"]


@pytest.fixture
def owner(make_user):
    return make_user(Role.STAFF, username="owner")


@pytest.fixture
def campaign(owner):
    campaign = CampaignFactory(owner=owner)
    services.stages_ensure_defaults(campaign=campaign)
    UserFactory(username="li", name="李雷", roles=[Role.STAFF])
    return campaign


def _import(content: bytes, campaign, owner, name: str):
    return import_tasks(file=SimpleUploadedFile(name, content), campaign=campaign, user=owner)


def _tsv(rows: list[list[str]]) -> str:
    return "".join("\t".join(row) + "\r\n" for row in rows)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
def test_a_nul_character_in_a_cell_is_refused_naming_its_row_and_no_task_is_saved(campaign, owner, encoding):
    # Excel's "Unicode text" is UTF-16 and tab-separated; in UTF-8 the NUL comes after the
    # first 4 KB, where the file is taken for text.
    rows = [HEADER] + [[f"任务{n}", "正式推广", "li", "2026-06-10"] for n in range(150)]
    rows.append(["坏\x00任务", "正式推广", "li", "2026-06-10"])

    result = _import(_tsv(rows).encode(encoding), campaign, owner, "tasks.txt" if encoding == "utf-16" else "tasks.csv")

    assert [error.row for error in result.errors] == [None]
    assert "Row 152 holds a NUL character" in result.errors[0].message
    assert not Task.objects.exists()


def test_a_utf16_file_without_a_nul_still_imports(campaign, owner):
    result = _import(
        _tsv([HEADER, ["上线", "正式推广", "li", "2026-06-10"]]).encode("utf-16"), campaign, owner, "t.csv"
    )

    assert result.ok, result.errors
    assert Task.objects.get().name == "上线"


GOOD = workbook_bytes([HEADER, ["上线", "正式推广", "li", "2026-06-10"]])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (with_part(GOOD, SHEET, part(GOOD, SHEET)[:-40]), "it is damaged"),
        (blank_rows_bomb(GOOD, unpacked_bytes=4 * 1024 * 1024), "mostly empty rows"),
    ],
    ids=["truncated sheet", "blank rows bomb"],
)
def test_a_damaged_or_bloated_workbook_is_a_file_problem(campaign, owner, content, message):
    result = _import(content, campaign, owner, "tasks.xlsx")

    assert [error.row for error in result.errors] == [None]
    assert message in result.errors[0].message
    assert not Task.objects.exists()


def test_blank_rows_count_against_the_row_limit(campaign, owner, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 20)
    header = b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % name.encode() for name in HEADER)
    rows = b'<row r="1">' + header + b'</row><row r="1000"><c r="A1000"/></row>'

    result = _import(with_sheet_rows(GOOD, rows), campaign, owner, "tasks.xlsx")

    assert "more than 20 rows, counting empty ones" in result.errors[0].message
    assert not Task.objects.exists()


@pytest.mark.parametrize("due", ["²", "١٢", "9" * 40])
def test_a_due_date_of_odd_digits_is_a_row_error_not_a_server_error(campaign, owner, due):
    rows = "\n".join([",".join(HEADER), f"新品详情页上线,正式推广,李雷,{due}"])

    result = import_tasks(file=SimpleUploadedFile("form1.csv", rows.encode()), campaign=campaign, user=owner)

    assert not result.ok
    assert result.errors[0].row == 2
    assert not Task.objects.exists()
