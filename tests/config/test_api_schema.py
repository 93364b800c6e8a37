"""The OpenAPI schema tells the truth: nulls where the API sends null, the fields a 201
declares, and the 4xx answers each operation can give (the fuzz in test_api_schema_fuzz.py
checks the same against real answers)."""

import pytest
from django.urls import reverse

from accounts.models import Department, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client_as) -> dict:
    return client_as(Role.VIEWER).get(reverse("api:schema"), {"format": "json"}).json()


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("Alert", "target_label"),
        ("Alert", "acknowledged_by_name"),
        ("Alert", "resolved_by_name"),
        ("Alert", "campaign_name"),
        ("MetricValue", "channel"),
    ],
)
def test_fields_the_api_sends_as_null_are_nullable(openapi, component, field):
    assert openapi["components"]["schemas"][component]["properties"][field].get("nullable") is True


def test_a_created_department_answers_with_the_member_count_the_schema_declares(client_as, openapi):
    response = client_as("admin").post(reverse("api:department-list"), {"name": "物流部"}, format="json")

    assert response.status_code == 201
    assert response.json()["member_count"] == 0
    created = openapi["paths"]["/api/v1/departments/"]["post"]["responses"]["201"]
    component = created["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "member_count" in openapi["components"]["schemas"][component]["required"]


def test_a_renamed_department_answers_with_its_member_count(client_as, make_user):
    department = Department.objects.create(name="设计部")
    make_user(Role.STAFF, department=department)

    response = client_as("admin").patch(
        reverse("api:department-detail", args=[department.pk]), {"name": "视觉设计部"}, format="json"
    )

    assert response.json()["member_count"] == 1


def test_every_operation_documents_its_4xx_answers(openapi):
    operations = [
        (path, method, operation)
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]

    assert len(operations) > 100
    for path, method, operation in operations:
        codes = set(operation["responses"])
        assert {"401", "403"} <= codes, (method, path)
        if method != "get":
            assert "400" in codes, (method, path)
        if "{id}" in path:
            assert "404" in codes, (method, path)


def test_the_documented_error_bodies_are_what_the_api_answers(api_client, client_as, openapi):
    schemas = openapi["components"]["schemas"]
    assert schemas["ErrorDetail"]["required"] == ["detail"]

    anonymous = api_client.get(reverse("api:user-list"))
    missing = client_as(Role.VIEWER).get(reverse("api:user-detail", args=[999999]))
    refused = client_as(Role.VIEWER).post(reverse("api:department-list"), {"name": "x"}, format="json")
    invalid = client_as("admin").post(reverse("api:department-list"), {"name": ""}, format="json")

    assert (anonymous.status_code, missing.status_code, refused.status_code) == (401, 404, 403)
    assert all(set(r.json()) == {"detail"} for r in (anonymous, missing, refused))
    assert invalid.status_code == 400
    assert invalid.json()["name"]
