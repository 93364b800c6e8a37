"""The BI tokens page: marketing managers and administrators create read-only tokens (name,
optional expiry, optional plan), see the key once, see last use and request count, and revoke;
everyone else is refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import APIToken, Role
from accounts.services import api_token_create
from tests.api import url
from tests.factories import AnnualPlanFactory, token_client

pytestmark = pytest.mark.django_db

PAGE = reverse("plans:api_tokens")


@pytest.fixture
def signed_in(client, make_user):
    def sign_in(role, **fields):
        user = make_user(None, is_staff=True, is_superuser=True, **fields) if role == "admin" else make_user(role)
        client.force_login(user)
        client.user = user
        return client

    return sign_in


@pytest.mark.parametrize("role", [Role.MARKETING_MANAGER, "admin"])
def test_managers_and_administrators_open_the_page(signed_in, role):
    assert signed_in(role).get(PAGE).status_code == 200


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER])
def test_other_roles_are_refused_the_page_and_cannot_create(signed_in, role):
    client = signed_in(role)

    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"name": "Sneaky"}).status_code == 403
    assert not APIToken.objects.exists()


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER])
def test_other_roles_cannot_revoke(signed_in, make_user, role):
    token, _ = api_token_create(name="Excel", user=make_user(Role.VIEWER))
    client = signed_in(role)

    assert client.post(reverse("plans:api_token_revoke", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_manager_creates_a_token_scoped_to_a_plan_and_sees_its_key_once(signed_in):
    client = signed_in(Role.MARKETING_MANAGER)
    plan = AnnualPlanFactory(year=2026)
    last_day = timezone.localdate() + timedelta(days=30)

    response = client.post(PAGE, {"name": "Power BI 2026", "plan": plan.pk, "expires_on": last_day.isoformat()})

    assert response.status_code == 201
    token = APIToken.objects.get()
    key = response.context["new_key"]
    assert key.startswith(token.prefix)
    assert key in response.content.decode()
    assert (token.user, token.created_by, token.scope_id) == (client.user, client.user, plan.pk)
    assert timezone.localtime(token.expires_at).date() == last_day + timedelta(days=1)
    assert "no-store" in response["Cache-Control"]
    # The key works, in the header, for this plan; the page never shows it again.
    assert token_client(key).get(url("plan-detail", plan.pk)).status_code == 200
    assert key not in client.get(PAGE).content.decode()


def test_a_token_for_every_plan_without_expiry(signed_in):
    response = signed_in(Role.MARKETING_MANAGER).post(PAGE, {"name": "Metabase"})

    assert response.status_code == 201
    token = APIToken.objects.get()
    assert token.scope_id is None
    assert token.expires_at is None


def test_a_past_expiry_is_refused_naming_the_field(signed_in):
    yesterday = timezone.localdate() - timedelta(days=1)

    response = signed_in(Role.MARKETING_MANAGER).post(PAGE, {"name": "Old", "expires_on": yesterday.isoformat()})

    assert response.status_code == 200
    assert "expires_on" in response.context["form"].errors
    assert not APIToken.objects.exists()


def test_an_expiry_of_today_is_accepted(signed_in):
    response = signed_in(Role.MARKETING_MANAGER).post(
        PAGE, {"name": "Today only", "expires_on": timezone.localdate().isoformat()}
    )

    assert response.status_code == 201


def test_the_list_shows_last_use_and_request_count(signed_in):
    client = signed_in(Role.MARKETING_MANAGER)
    token, key = api_token_create(name="Excel", user=client.user, created_by=client.user)
    for _ in range(3):
        token_client(key).get(url("metric-list"))

    row = next(t for t in client.get(PAGE).context["tokens"] if t.pk == token.pk)

    assert row.request_count == 3
    assert row.last_used_at is not None


def test_a_manager_sees_and_revokes_only_the_tokens_they_created(signed_in, make_user):
    client = signed_in(Role.MARKETING_MANAGER)
    mine, key = api_token_create(name="Mine", user=client.user, created_by=client.user)
    colleague = make_user(Role.MARKETING_MANAGER)
    theirs, _ = api_token_create(name="Theirs", user=colleague, created_by=colleague)

    assert [t.pk for t in client.get(PAGE).context["tokens"]] == [mine.pk]
    assert client.post(reverse("plans:api_token_revoke", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("plans:api_token_revoke", args=[mine.pk])).status_code == 302
    assert token_client(key).get(url("metric-list")).status_code == 401


def test_an_administrator_sees_and_revokes_every_token(signed_in, make_user):
    colleague = make_user(Role.MARKETING_MANAGER)
    theirs, _ = api_token_create(name="Theirs", user=colleague, created_by=colleague)
    client = signed_in("admin")

    assert [t.pk for t in client.get(PAGE).context["tokens"]] == [theirs.pk]
    assert client.post(reverse("plans:api_token_revoke", args=[theirs.pk])).status_code == 302
    theirs.refresh_from_db()
    assert theirs.revoked_at is not None


@pytest.mark.parametrize("count", [2, 20])
def test_the_page_runs_a_fixed_number_of_queries(signed_in, django_assert_num_queries, count):
    client = signed_in(Role.MARKETING_MANAGER)
    plan = AnnualPlanFactory(year=2026)
    for i in range(count):
        api_token_create(name=f"T{i}", user=client.user, created_by=client.user, scope=plan if i % 2 else None)

    with django_assert_num_queries(7):
        client.get(PAGE)
