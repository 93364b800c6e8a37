"""A database that refuses writes (a failover, a full disk, a replica promoted late): /healthz
says so, a page that writes answers a clear 503 in the reader's language with nothing saved,
the API a 503 JSON, and pages that only read keep answering."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tasks.models import StatusUpdate, TaskStatus
from tests.api import url
from tests.database_faults import read_only_database
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_healthz_reports_a_database_that_cannot_be_written():
    with read_only_database():
        response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "read-only"
    assert response.json()["status"] == "unavailable"


@pytest.mark.parametrize(
    ("language", "title", "saved"),
    [
        ("en", "The system is read-only for a moment", "Nothing was saved."),
        ("zh-hans", "系统暂时处于只读状态", "刚才的内容没有保存"),
    ],
)
def test_a_status_change_answers_a_clear_503_in_the_readers_language_and_saves_nothing(
    make_user, language, title, saved
):
    task = TaskFactory()
    task.responsible.language = language
    task.responsible.save()
    client = Client(raise_request_exception=False)
    client.force_login(task.responsible)

    with read_only_database():
        response = client.post(reverse("tasks:task_status", args=[task.pk]), {"status": TaskStatus.IN_PROGRESS})
        page = client.get(reverse("tasks:my_tasks"))

    assert response.status_code == 503
    text = response.content.decode()
    assert title in text
    assert saved in text
    assert response["Retry-After"]
    assert page.status_code == 200
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED
    assert not StatusUpdate.objects.exists()


def test_the_api_answers_a_503_json_and_saves_nothing():
    task = TaskFactory()
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(task.responsible)

    with read_only_database():
        response = client.post(url("status-update-list"), {"task": task.pk, "status": "in_progress"})
        listing = client.get(url("task-list"))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["database"] == "read-only"
    assert "Nothing was saved" in response.json()["detail"]
    assert listing.status_code == 200
    assert not StatusUpdate.objects.exists()
