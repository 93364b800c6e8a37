"""People's e-mail and phone go only to those who manage them: administrators, marketing
managers, and a department's lead for its members (and everyone sees their own). BI tokens
read names, departments and ids."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.api import results
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

CONTACT = {"email": "li@example.com", "phone": "13800000000"}


@pytest.fixture
def sales():
    return DepartmentFactory(name="销售部")


@pytest.fixture
def colleague(make_user, sales):
    return make_user(Role.STAFF, username="li", name="李娜", department=sales, **CONTACT)


def _seen(client, person) -> dict:
    return next(row for row in results(client.get(reverse("api:user-list"))) if row["id"] == person.pk)


@pytest.mark.parametrize("who", ["admin", Role.MARKETING_MANAGER])
def test_those_who_manage_people_read_everyones_contact_details(client_as, colleague, who):
    row = _seen(client_as(who), colleague)

    assert (row["email"], row["phone"]) == (CONTACT["email"], CONTACT["phone"])


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.STAFF, Role.VIEWER, Role.DEPARTMENT_LEAD])
def test_other_roles_read_names_but_not_contact_details(client_as, colleague, role):
    row = _seen(client_as(role), colleague)

    assert (row["email"], row["phone"]) == (None, None)
    assert (row["name"], row["department"]) == ("李娜", colleague.department_id)


def test_a_colleague_in_the_same_department_does_not_read_them(client_as, colleague, sales):
    row = _seen(client_as(Role.STAFF, department=sales), colleague)

    assert (row["email"], row["phone"]) == (None, None)


def test_a_department_lead_reads_their_own_departments_people_only(client_as, make_user, colleague, sales):
    lead = make_user(Role.DEPARTMENT_LEAD, username="wu", department=sales)
    sales.lead = lead
    sales.save()
    outsider = make_user(Role.STAFF, username="zhou", department=DepartmentFactory(name="设计部"), **CONTACT)
    client = client_as(lead)

    assert _seen(client, colleague)["email"] == CONTACT["email"]
    assert _seen(client, outsider)["email"] is None


def test_everyone_reads_their_own_contact_details(client_as, colleague):
    client = client_as(colleague)

    assert _seen(client, colleague)["phone"] == CONTACT["phone"]
    assert client.get(reverse("api:user-detail", args=[colleague.pk])).json()["email"] == CONTACT["email"]


def test_the_detail_answers_like_the_list(client_as, colleague):
    response = client_as(Role.VIEWER).get(reverse("api:user-detail", args=[colleague.pk]))

    assert (response.json()["email"], response.json()["phone"]) == (None, None)


def test_a_bi_token_reads_names_departments_and_ids_only(client_as, colleague):
    rows = results(client_as("token").get(reverse("api:user-list")))

    row = next(row for row in rows if row["id"] == colleague.pk)
    assert row == {
        "id": colleague.pk,
        "name": "李娜",
        "display_name": "李娜",
        "department": colleague.department_id,
        "is_active": True,
        "updated_at": row["updated_at"],
    }


def test_a_bi_tokens_csv_has_no_contact_columns(client_as, colleague):
    response = client_as("token").get(reverse("api:user-list"), {"format": "csv"})

    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert not {"email", "phone", "username"} & set(header)
    assert CONTACT["phone"] not in response.content.decode()


def test_the_schema_says_contact_details_may_be_null_and_a_token_gets_fewer_fields(client_as):
    schema = client_as(Role.VIEWER).get(reverse("api:schema"), {"format": "json"}).json()

    user = schema["components"]["schemas"]["User"]
    assert user["properties"]["email"]["nullable"] is True
    assert user["properties"]["phone"]["nullable"] is True
    assert set(user["required"]) <= {"id", "name", "display_name", "department", "is_active", "updated_at"}
    assert "nullable" not in schema["components"]["schemas"]["UserRequest"]["properties"]["phone"]


def test_the_department_card_shows_contact_details_to_the_lead_only(client, make_user, colleague, sales):
    lead = make_user(Role.DEPARTMENT_LEAD, username="wu", department=sales)
    sales.lead = lead
    sales.save()
    member = make_user(Role.STAFF, username="zhao", department=sales)

    client.force_login(member)
    as_member = client.get(reverse("accounts:profile")).content.decode()
    client.force_login(lead)
    as_lead = client.get(reverse("accounts:profile")).content.decode()

    assert "李娜" in as_member
    assert CONTACT["phone"] not in as_member
    assert CONTACT["phone"] in as_lead
