"""People and departments change through accounts.services, whoever calls: the API records
who made each change in the history, and refuses bad input naming the field."""

import pytest
from django.urls import reverse

from accounts.models import Department, Role, User
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_created_through_the_api_has_the_administrator_as_author(admin_client, admin_user):
    response = admin_client.post(reverse("api:user-list"), {"username": "qian", "roles": ["staff"]}, format="json")

    assert response.status_code == 201, response.json()
    assert User.objects.get(username="qian").history.get().history_user == admin_user


def test_an_administrators_change_to_a_person_is_in_history_with_their_name(admin_client, admin_user):
    person = UserFactory(username="sun", name="Sun")

    response = admin_client.patch(
        reverse("api:user-detail", args=[person.pk]), {"name": "孙主管", "roles": ["department_lead"]}, format="json"
    )

    assert response.status_code == 200, response.json()
    latest = person.history.first()
    assert (latest.name, latest.history_user) == ("孙主管", admin_user)


def test_a_partial_change_to_a_person_keeps_what_was_not_sent(admin_client, make_user):
    department = DepartmentFactory(name="产品部")
    person = make_user(Role.STAFF, username="zhou", email="zhou@example.com", department=department)

    admin_client.patch(reverse("api:user-detail", args=[person.pk]), {"phone": "13800000000"}, format="json")

    person.refresh_from_db()
    assert (person.phone, person.email, person.department, person.role_names) == (
        "13800000000",
        "zhou@example.com",
        department,
        {Role.STAFF},
    )


def test_a_username_already_taken_is_refused_naming_the_field(admin_client):
    UserFactory(username="taken")
    person = UserFactory(username="free")

    response = admin_client.patch(reverse("api:user-detail", args=[person.pk]), {"username": "taken"}, format="json")

    assert response.status_code == 400
    assert "username" in response.json()


def test_a_persons_change_to_their_own_profile_is_in_history_with_their_name(api_client, staff_user):
    api_client.force_authenticate(staff_user)

    response = api_client.patch(reverse("api:me"), {"phone": "13900000000"}, format="json")

    assert response.status_code == 200, response.json()
    latest = staff_user.history.first()
    assert (latest.phone, latest.history_user) == ("13900000000", staff_user)


def test_a_department_created_through_the_api_has_the_administrator_as_author(admin_client, admin_user):
    response = admin_client.post(reverse("api:department-list"), {"name": "物流部"}, format="json")

    assert response.status_code == 201, response.json()
    assert Department.objects.get(name="物流部").history.get().history_user == admin_user


def test_a_new_lead_of_a_department_is_in_history_with_the_administrators_name(admin_client, admin_user, make_user):
    department = DepartmentFactory(name="销售部")
    lead = make_user(Role.DEPARTMENT_LEAD)

    response = admin_client.patch(
        reverse("api:department-detail", args=[department.pk]), {"lead": lead.pk}, format="json"
    )

    assert response.status_code == 200, response.json()
    latest = department.history.first()
    assert (latest.name, latest.lead_id, latest.history_user) == ("销售部", lead.pk, admin_user)


def test_a_department_deleted_through_the_api_keeps_who_deleted_it(admin_client, admin_user):
    department = DepartmentFactory(name="临时部门")

    response = admin_client.delete(reverse("api:department-detail", args=[department.pk]))

    assert response.status_code == 204
    deletion = Department.history.filter(id=department.pk).first()
    assert (deletion.history_type, deletion.history_user) == ("-", admin_user)
