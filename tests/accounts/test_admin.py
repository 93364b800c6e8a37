"""The admin's department form saves through accounts.services."""

import pytest
from django.urls import reverse

from accounts.models import Department
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_the_admin_adds_a_department_with_its_author_in_history(client, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("admin:accounts_department_add"), {"name": "物流部", "lead": ""})

    assert response.status_code == 302
    assert Department.objects.get(name="物流部").history.get().history_user == admin_user


def test_the_admin_renames_a_department(client, admin_user):
    department = DepartmentFactory(name="设计部")
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:accounts_department_change", args=[department.pk]), {"name": "视觉设计部", "lead": ""}
    )

    assert response.status_code == 302
    department.refresh_from_db()
    assert department.name == "视觉设计部"


def test_the_admin_refuses_a_token_that_would_already_have_expired(client, admin_user, make_user):
    from accounts.models import APIToken

    viewer = make_user("viewer", username="excel")
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:accounts_apitoken_add"),
        {"name": "Old", "user": viewer.pk, "expires_at_0": "2020-01-01", "expires_at_1": "00:00:00"},
    )

    assert response.status_code == 200
    assert "The expiry must be in the future." in response.content.decode()
    assert not APIToken.objects.exists()
