"""A status change posted from a page goes back only to an address on this site (no open redirect)."""

import pytest
from django.urls import reverse

from tasks.models import TaskStatus
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
    ],
)
def test_a_status_change_never_redirects_off_site(client, staff_user, next_url):
    task = TaskFactory(responsible=staff_user)
    client.force_login(staff_user)

    response = client.post(
        reverse("tasks:task_status", args=[task.pk]), {"status": TaskStatus.IN_PROGRESS, "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == task.get_absolute_url()
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS


@pytest.mark.parametrize("next_url", ["/my-tasks/", "http://testserver/my-tasks/"])
def test_a_status_change_goes_back_to_a_page_of_this_site(client, staff_user, next_url):
    task = TaskFactory(responsible=staff_user)
    client.force_login(staff_user)

    response = client.post(
        reverse("tasks:task_status", args=[task.pk]), {"status": TaskStatus.IN_PROGRESS, "next": next_url}
    )

    assert response["Location"] == next_url


def test_an_https_page_does_not_send_back_to_plain_http(client, staff_user):
    task = TaskFactory(responsible=staff_user)
    client.force_login(staff_user)

    response = client.post(
        reverse("tasks:task_status", args=[task.pk]),
        {"status": TaskStatus.IN_PROGRESS, "next": "http://testserver/my-tasks/"},
        secure=True,
    )

    assert response["Location"] == task.get_absolute_url()
