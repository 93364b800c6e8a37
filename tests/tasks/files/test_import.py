"""Importing Form 1 again: an exported file makes the same tasks in another campaign, and
updates (never duplicates) them in its own; a task keeps what the file does not say."""

from datetime import date

import pytest

from tasks.imports import import_tasks
from tasks.models import Assignment, StatusUpdate, Task, TaskStatus
from tests.factories import CampaignFactory, TaskFactory
from tests.tasks.files.form_1 import FORM_1_HEADERS, csv_file, export_tasks, stage_named, xlsx_file

pytestmark = pytest.mark.django_db


def _snapshot(campaign) -> list[tuple]:
    """A campaign's tasks as comparable plain data (no ids)."""
    tasks = Task.objects.filter(campaign=campaign).prefetch_related("departments", "assignments").order_by("name")
    return [
        (
            task.name,
            task.stage.name_zh,
            task.description,
            task.deliverable,
            task.responsible.username,
            task.accountable.username,
            task.due_date,
            task.start_date,
            task.status,
            task.progress,
            sorted(department.name for department in task.departments.all()),
            sorted((a.role, a.user.username if a.user_id else a.department.name) for a in task.assignments.all()),
        )
        for task in tasks
    ]


def test_an_exported_file_imported_into_another_campaign_creates_the_same_tasks(
    client, manager, filled_campaign, owner
):
    client.force_login(manager)
    content = export_tasks(client, filled_campaign)
    other = CampaignFactory(owner=owner)

    result = import_tasks(file=xlsx_file(content), campaign=other, user=manager)

    assert result.ok, result.errors
    assert (result.created, result.updated) == (3, 0)
    assert _snapshot(other) == _snapshot(filled_campaign)


def test_importing_the_same_file_again_updates_and_never_duplicates(client, manager, filled_campaign):
    client.force_login(manager)
    content = export_tasks(client, filled_campaign)
    before = _snapshot(filled_campaign)
    updates_before = StatusUpdate.objects.count()

    result = import_tasks(file=xlsx_file(content), campaign=filled_campaign, user=manager)

    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 3)
    assert Task.objects.filter(campaign=filled_campaign).count() == 3
    assert _snapshot(filled_campaign) == before
    assert StatusUpdate.objects.count() == updates_before  # nothing changed, nothing recorded


def test_a_reimported_row_with_changes_updates_its_task(manager, filled_campaign, team):
    task = Task.objects.get(name="新品详情页上线")
    rows = [
        FORM_1_HEADERS,
        ["新品详情页上线", "正式推广", "New text", "王芳", "设计部", "2026-06-12", "Approved", "进行中"],
    ]

    result = import_tasks(file=csv_file(rows), campaign=filled_campaign, user=manager)

    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 1)
    task.refresh_from_db()
    assert (task.description, task.responsible, task.due_date, task.status) == (
        "New text",
        team["wang"],
        date(2026, 6, 12),
        TaskStatus.IN_PROGRESS,
    )
    assert list(task.departments.all()) == [team["design"]]
    assert task.accountable == team["han"]  # no 审批人 column: the Accountable stays
    assert not Assignment.objects.filter(task=task, user=team["wang"]).exists()  # now R, so no longer C
    assert task.updates.first().note == "Imported"


def test_a_task_of_the_same_name_in_another_stage_is_a_new_task(manager, filled_campaign):
    rows = [FORM_1_HEADERS, ["新品详情页上线", "售后复盘", "", "李雷", "", "2026-06-30", "", "未开始"]]

    result = import_tasks(file=csv_file(rows), campaign=filled_campaign, user=manager)

    assert (result.created, result.updated) == (1, 0)
    assert Task.objects.filter(campaign=filled_campaign, name="新品详情页上线").count() == 2


def test_an_existing_task_keeps_what_the_file_does_not_say(manager, campaign, team):
    task = TaskFactory(
        stage=stage_named(campaign, "产品筹备"), name="A", responsible=team["li"], materials="Posters", progress=20
    )
    rows = [["任务名称", "所属阶段", "负责人", "截止时间"], ["A", "产品筹备", "han", "2026-06-30"]]

    result = import_tasks(file=csv_file(rows), campaign=campaign, user=manager)

    assert result.ok, result.errors
    task.refresh_from_db()
    assert (task.responsible, task.materials, task.progress, task.due_date) == (
        team["han"],
        "Posters",
        20,
        date(2026, 6, 30),
    )
