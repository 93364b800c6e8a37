"""A connection that drops during a request (PostgreSQL restarting, an idle connection cut) is
retried once when running the request again cannot save anything twice, and otherwise answers
a clear 503: never a 500."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Department
from tasks.models import StatusUpdate, TaskStatus
from tests.core import database_fault_urls
from tests.database_faults import kill_connection, postgresql_only
from tests.factories import TaskFactory

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reconnect_afterwards():
    """A request answered 503 leaves its broken connection to the end of the request, which
    the test client does not close: close it so that the test's teardown has a connection."""
    yield
    connection.close()


@pytest.fixture
def signed_in(staff_user):
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    return client


def test_a_page_whose_connection_was_killed_is_answered_on_a_new_one(signed_in):
    kill_connection()

    response = signed_in.get(reverse("tasks:my_tasks"))

    assert response.status_code == 200


def test_a_status_change_whose_connection_died_before_it_wrote_is_saved_once(staff_user, signed_in):
    task = TaskFactory(responsible=staff_user)
    kill_connection()

    response = signed_in.post(reverse("tasks:task_status", args=[task.pk]), {"status": TaskStatus.IN_PROGRESS})

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert StatusUpdate.objects.filter(task=task).count() == 1


@pytest.mark.urls("tests.core.database_fault_urls")
def test_a_post_that_wrote_before_its_connection_dropped_is_not_run_again_and_answers_503():
    database_fault_urls.runs.clear()

    response = Client(raise_request_exception=False).post("/write-then-lose/")

    assert response.status_code == 503
    assert "check whether it was saved" in response.content.decode()
    assert database_fault_urls.runs == ["POST"]
    connection.close()
    assert Department.objects.filter(name__startswith="Written").count() == 1


@pytest.mark.urls("tests.core.database_fault_urls")
def test_a_page_still_out_of_reach_after_one_retry_answers_a_clear_503_in_chinese():
    database_fault_urls.runs.clear()

    response = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans").get("/always-unreachable/")

    assert response.status_code == 503
    assert "数据库暂时无法连接" in response.content.decode()
    assert database_fault_urls.runs == ["GET", "GET"]


@pytest.mark.urls("tests.core.database_fault_urls")
def test_the_api_answers_a_503_json_when_the_database_stays_out_of_reach():
    response = Client(raise_request_exception=False).get("/api/v1/always-unreachable/")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
