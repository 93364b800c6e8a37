"""An imported Form 1 with errors: each is reported with its row and column, and nothing is
saved (not even the campaign's default stages)."""

import pytest

from tasks.imports import import_tasks
from tasks.models import Stage, Task
from tests.factories import CampaignFactory
from tests.tasks.files.form_1 import FORM_1_HEADERS, csv_file

pytestmark = pytest.mark.django_db


def test_every_row_error_is_reported_with_its_row_and_column_and_nothing_is_saved(manager, team):
    campaign = CampaignFactory(owner=manager)  # no stages yet: the import's default stages are rolled back too
    rows = [
        FORM_1_HEADERS,
        ["Good", "产品筹备", "", "li", "", "2026-06-10", "", "未开始"],
        ["Unknown stage", "Nowhere", "", "li", "", "2026-06-10", "", ""],
        ["Unknown person", "产品筹备", "", "nobody", "", "2026-06-10", "", ""],
        ["Unknown department", "产品筹备", "", "li", "产品部、Moon base", "2026-06-10", "", ""],
        ["Bad date", "产品筹备", "", "li", "", "10th of June", "", ""],
        ["", "产品筹备", "", "li", "", "2026-06-10", "", ""],
        ["No owner", "产品筹备", "", "", "", "2026-06-10", "", ""],
        ["Unknown status", "产品筹备", "", "li", "", "2026-06-10", "", "finished-ish"],
    ]

    result = import_tasks(file=csv_file(rows), campaign=campaign, user=manager)

    assert not result.ok
    assert [(error.row, error.column) for error in result.errors] == [
        (3, "所属阶段"),
        (4, "负责人"),
        (5, "协作部门"),
        (6, "截止时间"),
        (7, "任务名称"),
        (8, "负责人"),
        (9, "状态"),
    ]
    assert "Nowhere" in result.errors[0].message
    assert "Moon base" in result.errors[2].message
    assert Task.objects.count() == 0
    assert not Stage.objects.filter(campaign=campaign).exists()


def test_a_file_without_the_required_columns_is_refused_as_a_whole(manager, campaign):
    rows = [["任务名称", "状态"], ["A", "未开始"]]

    result = import_tasks(file=csv_file(rows), campaign=campaign, user=manager)

    assert [error.row for error in result.errors] == [None]
    assert "所属阶段" in result.errors[0].message
    assert not Task.objects.exists()


def test_a_consulted_person_who_is_the_responsible_is_an_error(manager, campaign, team):
    rows = [[*FORM_1_HEADERS, "咨询人"], ["A", "产品筹备", "", "li", "", "2026-06-10", "", "", "李雷"]]

    result = import_tasks(file=csv_file(rows), campaign=campaign, user=manager)

    assert [(error.row, error.column) for error in result.errors] == [(2, "咨询人")]
    assert not Task.objects.exists()


def test_a_start_after_the_deadline_is_an_error(manager, campaign, team):
    rows = [[*FORM_1_HEADERS, "开始时间"], ["A", "产品筹备", "", "li", "", "2026-06-10", "", "", "2026-06-11"]]

    result = import_tasks(file=csv_file(rows), campaign=campaign, user=manager)

    assert [(error.row, error.column) for error in result.errors] == [(2, "开始时间")]
