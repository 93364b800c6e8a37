"""A blocked task's progress saves like any other task's: it stays blocked, for the reason it
was blocked for, and the change is a row of its history. A done task's slider is disabled,
with the reason on the card."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tasks import services
from tasks.models import StatusUpdate, TaskStatus
from tests.api import url
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def blocked_task(staff_user):
    task = TaskFactory(responsible=staff_user, progress=0, due_date=timezone.localdate() + timedelta(days=30))
    services.task_set_status(task=task, status=TaskStatus.BLOCKED, note="等待平台审核", by=staff_user)
    return task


def test_moving_a_blocked_tasks_progress_keeps_it_blocked_for_its_reason(blocked_task, staff_user):
    update = services.task_set_status(task=blocked_task, status=TaskStatus.BLOCKED, progress=60, by=staff_user)

    blocked_task.refresh_from_db()
    assert (blocked_task.status, blocked_task.progress) == (TaskStatus.BLOCKED, 60)
    assert (update.old_status, update.new_status, update.progress, update.note) == (
        TaskStatus.BLOCKED,
        TaskStatus.BLOCKED,
        60,
        "等待平台审核",
    )
    assert blocked_task.updates.count() == 2


def test_a_new_reason_given_with_the_progress_replaces_the_standing_one(blocked_task, staff_user):
    services.task_set_status(
        task=blocked_task, status=TaskStatus.BLOCKED, progress=40, note="审核被退回", by=staff_user
    )
    update = services.task_set_status(task=blocked_task, status=TaskStatus.BLOCKED, progress=45, by=staff_user)

    assert update.note == "审核被退回"


def test_becoming_blocked_still_needs_a_reason(staff_user):
    task = TaskFactory(responsible=staff_user, status=TaskStatus.IN_PROGRESS)

    with pytest.raises(ValidationError) as error:
        services.task_set_status(task=task, status=TaskStatus.BLOCKED, progress=60, by=staff_user)

    assert "note" in error.value.message_dict
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 0)


def test_the_slider_of_a_blocked_card_saves_and_the_card_keeps_the_reason(client, blocked_task, staff_user):
    client.force_login(staff_user)

    # What the slider sends on release: its card's form with the task's own status.
    response = client.post(
        reverse("tasks:task_status", args=[blocked_task.pk]),
        {"status": "blocked", "progress": "60", "note": ""},
        **HTMX,
    )

    html = response.content.decode()
    assert "Saved" in html
    assert "alert-danger" not in html
    assert "“等待平台审核”" in html
    assert 'value="60"' in html
    blocked_task.refresh_from_db()
    assert (blocked_task.status, blocked_task.progress) == (TaskStatus.BLOCKED, 60)


def test_the_saved_progress_is_there_after_a_reload_and_in_the_history(client, blocked_task, staff_user):
    client.force_login(staff_user)
    client.post(
        reverse("tasks:task_status", args=[blocked_task.pk]),
        {"status": "blocked", "progress": "60", "note": ""},
        **HTMX,
    )

    my_tasks = client.get(reverse("tasks:my_tasks"))
    detail = client.get(blocked_task.get_absolute_url())

    assert my_tasks.context["groups"]["blocked"][0].progress == 60
    history = detail.context["task"].updates.all()
    assert [(u.new_status, u.progress) for u in history][:2] == [(TaskStatus.BLOCKED, 60), (TaskStatus.BLOCKED, 0)]


def test_a_done_tasks_slider_is_disabled_and_says_why(client, staff_user):
    task = TaskFactory(responsible=staff_user)
    services.task_set_status(task=task, status=TaskStatus.DONE, note="3 videos", by=staff_user)
    client.force_login(staff_user)

    html = client.get(reverse("tasks:my_tasks")).content.decode()

    card = html[html.index(f'id="task-{task.pk}"') :]
    slider = card[card.index(f'id="progress-{task.pk}"') : card.index(">", card.index(f'id="progress-{task.pk}"'))]
    assert "disabled" in slider
    assert "A done task is at 100%" in card


def test_the_api_records_a_blocked_tasks_progress(client_as, blocked_task, staff_user):
    client = client_as(staff_user)

    response = client.post(url("status-update-list"), {"task": blocked_task.pk, "status": "blocked", "progress": 60})

    assert response.status_code == 201, response.json()
    assert (response.json()["progress"], response.json()["note"]) == (60, "等待平台审核")
    blocked_task.refresh_from_db()
    assert (blocked_task.status, blocked_task.progress) == (TaskStatus.BLOCKED, 60)
    assert StatusUpdate.objects.filter(task=blocked_task).count() == 2
