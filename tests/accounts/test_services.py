import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Role
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_create_refuses_an_unknown_role_naming_the_field(admin_user):
    with pytest.raises(ValidationError) as caught:
        services.user_create(username="li", roles=[Role.STAFF, "king"], by=admin_user)

    assert list(caught.value.message_dict) == ["roles"]


def test_user_create_gives_no_usable_password_and_the_roles(admin_user):
    person = services.user_create(username="li", name="李专员", roles=[Role.STAFF], by=admin_user)

    assert (person.has_usable_password(), person.role_names) == (False, {Role.STAFF})


def test_user_update_refuses_a_bad_email_naming_the_field(admin_user):
    person = UserFactory()

    with pytest.raises(ValidationError) as caught:
        services.user_update(
            user=person,
            by=admin_user,
            username=person.username,
            name=person.name,
            email="not an address",
            phone="",
            department=None,
            language="",
            is_active=True,
        )

    assert list(caught.value.message_dict) == ["email"]


def test_department_create_refuses_a_name_already_taken_naming_the_field(admin_user):
    DepartmentFactory(name="市场部")

    with pytest.raises(ValidationError) as caught:
        services.department_create(name="市场部", by=admin_user)

    assert list(caught.value.message_dict) == ["name"]


def test_department_update_records_its_author_without_a_request(admin_user):
    department = DepartmentFactory(name="设计部")
    lead = UserFactory()

    services.department_update(department=department, name="设计部", lead=lead, by=admin_user)

    latest = department.history.first()
    assert (latest.lead_id, latest.history_user) == (lead.pk, admin_user)


def test_user_update_records_its_author_without_a_request(admin_user):
    person = UserFactory(username="wu")

    services.user_update(
        user=person,
        by=admin_user,
        username="wu",
        name="吴主管",
        email=person.email,
        phone="",
        department=None,
        language="",
        is_active=False,
    )

    latest = person.history.first()
    assert (latest.is_active, latest.history_user) == (False, admin_user)
