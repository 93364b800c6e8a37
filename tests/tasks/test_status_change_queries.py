"""The status change reads the task with its row lock in one statement, and the service joins
the caller's transaction when told the task is locked (bench/tasks_bench.py, issue 15)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tasks import services
from tasks.models import StatusUpdate, Task, TaskStatus
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _update(task, author, note, new_status=TaskStatus.IN_PROGRESS):
    return StatusUpdate.objects.create(
        task=task,
        author=author,
        created_at=timezone.now(),
        old_status=task.status,
        new_status=new_status,
        progress=task.progress,
        note=note,
    )


def _statements(queries) -> list[str]:
    """The SQL statements run, without the transaction's and savepoints' own."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def _post_status(client, task, status=TaskStatus.IN_PROGRESS, note="草稿已交"):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("tasks:task_status", args=[task.pk]), {"status": status, "note": note, "progress": "40"}, **HTMX
        )
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    return _statements(queries)


@pytest.mark.parametrize("history", [0, 30])
def test_a_status_change_runs_five_statements_whatever_the_tasks_history(client, staff_user, history):
    # session, user, the task with its lock, the status update row, the task's UPDATE
    task = TaskFactory(responsible=staff_user)
    TaskFactory.create_batch(history, campaign=task.campaign, stage=task.stage, responsible=staff_user)
    for n in range(history):
        _update(task, staff_user, f"第 {n} 天")
    client.force_login(staff_user)

    statements = _post_status(client, task)

    assert len(statements) == 5, statements
    task_reads = [sql for sql in statements if sql.startswith("SELECT") and '"tasks_task"' in sql.split("WHERE")[0]]
    assert len(task_reads) == 1
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in task_reads[0]
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 40)
    update = StatusUpdate.objects.latest("pk")
    assert (update.author, update.note, update.old_status) == (staff_user, "草稿已交", TaskStatus.NOT_STARTED)


def test_a_refused_change_writes_nothing_and_the_card_says_why(client, staff_user):
    task = TaskFactory(responsible=staff_user)
    client.force_login(staff_user)

    response = client.post(reverse("tasks:task_status", args=[task.pk]), {"status": TaskStatus.DONE}, **HTMX)

    assert response.status_code == 200
    assert "a done task needs a note" in response.content.decode()
    assert not StatusUpdate.objects.exists()
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_a_blocked_task_keeps_its_reason_when_the_page_changes_its_progress(client, staff_user):
    task = TaskFactory(responsible=staff_user, status=TaskStatus.BLOCKED)
    _update(task, staff_user, "等待法务审批", new_status=TaskStatus.BLOCKED)
    client.force_login(staff_user)

    statements = _post_status(client, task, status=TaskStatus.BLOCKED, note="")

    assert len(statements) == 6  # and the standing reason
    assert StatusUpdate.objects.latest("pk").note == "等待法务审批"


def test_locked_uses_the_callers_values_and_does_not_lock_again(staff_user):
    task = TaskFactory(responsible=staff_user, status=TaskStatus.IN_PROGRESS, progress=20)
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        with CaptureQueriesContext(connection) as queries:
            update = services.task_set_status(
                task=locked, status=TaskStatus.DONE, note="验收通过", by=staff_user, locked=True
            )

    assert [sql.split()[0] for sql in _statements(queries)] == ["INSERT", "UPDATE"]
    assert (update.old_status, update.new_status, update.progress) == (TaskStatus.IN_PROGRESS, TaskStatus.DONE, 100)


@pytest.mark.django_db(transaction=True)
def test_locked_outside_a_transaction_is_refused(staff_user):
    # In autocommit, as a request runs outside ATOMIC_REQUESTS (pytest-django's default would
    # wrap the test in a transaction).
    task = TaskFactory(responsible=staff_user)

    with pytest.raises(transaction.TransactionManagementError):
        services.task_set_status(task=task, status=TaskStatus.IN_PROGRESS, by=staff_user, locked=True)
    assert not StatusUpdate.objects.exists()
