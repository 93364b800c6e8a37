import csv
import io

import pytest
from django.urls import reverse

from accounts.models import Department, Role, User
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_me_returns_the_signed_in_user_with_roles(api_client, manager):
    api_client.force_authenticate(manager)

    response = api_client.get(reverse("api:me"))

    assert response.status_code == 200
    assert response.json()["username"] == "manager"
    assert response.json()["roles"] == [Role.MARKETING_MANAGER]


def test_me_lets_a_person_change_their_own_language_but_not_their_roles(api_client, staff_user):
    api_client.force_authenticate(staff_user)

    response = api_client.patch(reverse("api:me"), {"language": "zh-hans", "roles": ["executive"]}, format="json")

    assert response.status_code == 200
    staff_user.refresh_from_db()
    assert staff_user.language == "zh-hans"
    assert not staff_user.has_role(Role.EXECUTIVE)


def test_me_refuses_an_unknown_language_naming_the_field(api_client, staff_user):
    api_client.force_authenticate(staff_user)

    response = api_client.patch(reverse("api:me"), {"language": "klingon"}, format="json")

    assert response.status_code == 400
    assert "language" in response.json()


def test_anyone_signed_in_reads_users_and_departments(api_client, staff_user):
    DepartmentFactory(name="产品部")
    api_client.force_authenticate(staff_user)

    assert api_client.get(reverse("api:user-list")).json()["count"] == 1
    assert [d["name"] for d in api_client.get(reverse("api:department-list")).json()["results"]] == ["产品部"]


@pytest.mark.parametrize(
    "role", [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]
)
def test_non_administrators_cannot_change_people_or_departments(api_client, make_user, role):
    department = DepartmentFactory(name="设计部")
    api_client.force_authenticate(make_user(role))

    created = api_client.post(reverse("api:department-list"), {"name": "新部门"}, format="json")
    renamed = api_client.patch(reverse("api:department-detail", args=[department.pk]), {"name": "x"}, format="json")
    new_user = api_client.post(reverse("api:user-list"), {"username": "intruder"}, format="json")

    assert (created.status_code, renamed.status_code, new_user.status_code) == (403, 403, 403)
    assert list(Department.objects.values_list("name", flat=True)) == ["设计部"]
    assert not User.objects.filter(username="intruder").exists()


def test_an_administrator_creates_a_department_and_a_user_with_roles(api_client, admin_user):
    api_client.force_authenticate(admin_user)

    department = api_client.post(reverse("api:department-list"), {"name": "供应链部"}, format="json").json()
    user = api_client.post(
        reverse("api:user-list"),
        {"username": "zheng", "name": "郑主管", "department": department["id"], "roles": ["department_lead"]},
        format="json",
    )

    assert user.status_code == 201, user.json()
    created = User.objects.get(username="zheng")
    assert created.department.name == "供应链部"
    assert created.has_role(Role.DEPARTMENT_LEAD)
    assert not created.has_usable_password()


def test_an_unknown_role_is_refused_naming_the_field(api_client, admin_user):
    api_client.force_authenticate(admin_user)

    response = api_client.post(reverse("api:user-list"), {"username": "x", "roles": ["king"]}, format="json")

    assert response.status_code == 400
    assert "roles" in response.json()
    assert not User.objects.filter(username="x").exists()


def test_users_filter_by_role_and_department(api_client, make_user, staff_user):
    department = DepartmentFactory(name="销售部")
    make_user(Role.DEPARTMENT_LEAD, username="wu", department=department)
    api_client.force_authenticate(staff_user)

    by_role = api_client.get(reverse("api:user-list"), {"role": "department_lead"}).json()
    by_department = api_client.get(reverse("api:user-list"), {"department": department.pk}).json()

    assert [u["username"] for u in by_role["results"]] == ["wu"]
    assert [u["username"] for u in by_department["results"]] == ["wu"]


def test_a_list_endpoint_answers_csv_with_every_row(token_client, make_user):
    department = DepartmentFactory(name="电商运营部")
    for n in range(3):
        make_user(Role.STAFF, username=f"staff{n}", name=f"专员{n}", department=department)

    response = token_client.get(reverse("api:user-list"), {"format": "csv", "ordering": "username"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="user.csv"'
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    # A BI token reads names, departments and ids (not usernames, roles or contact details).
    assert [row["name"] for row in rows][1:] == ["专员0", "专员1", "专员2"]
    assert rows[1]["name"] == "专员0"
    assert rows[1]["department"] == str(department.pk)


def test_user_list_runs_the_same_number_of_queries_for_3_and_30_users(api_client, make_user, staff_user, count_queries):
    department = DepartmentFactory(name="市场部")
    api_client.force_authenticate(staff_user)
    for _ in range(3):
        make_user(Role.STAFF, department=department)
    small = count_queries(lambda: api_client.get(reverse("api:user-list")))

    for _ in range(27):
        make_user(Role.VIEWER, department=department)
    large = count_queries(lambda: api_client.get(reverse("api:user-list")))

    assert small == large


def test_department_list_runs_the_same_number_of_queries_for_3_and_30_departments(
    api_client, staff_user, make_user, count_queries
):
    api_client.force_authenticate(staff_user)
    for _ in range(3):
        DepartmentFactory(lead=make_user(Role.DEPARTMENT_LEAD))
    small = count_queries(lambda: api_client.get(reverse("api:department-list")))

    for _ in range(27):
        DepartmentFactory(lead=make_user(Role.DEPARTMENT_LEAD))
    large = count_queries(lambda: api_client.get(reverse("api:department-list")))

    assert small == large


def test_updated_after_returns_only_what_changed_since(api_client, staff_user):
    from django.utils import timezone

    old = DepartmentFactory(name="旧部门")
    Department.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timezone.timedelta(days=2))
    DepartmentFactory(name="新部门")
    api_client.force_authenticate(staff_user)

    since = (timezone.now() - timezone.timedelta(days=1)).isoformat()
    response = api_client.get(reverse("api:department-list"), {"updated_after": since})

    assert [d["name"] for d in response.json()["results"]] == ["新部门"]


def test_the_openapi_schema_and_docs_are_served(api_client, staff_user, client):
    api_client.force_authenticate(staff_user)
    client.force_login(staff_user)

    schema = api_client.get(reverse("api:schema"), {"format": "json"})
    docs = client.get(reverse("api:docs"))

    assert schema.status_code == 200
    assert "/api/v1/users/" in schema.json()["paths"]
    assert "apiToken" in schema.json()["components"]["securitySchemes"]
    assert docs.status_code == 200
    assert "swagger-ui" in docs.content.decode()
    assert "cdn" not in docs.content.decode().lower()
