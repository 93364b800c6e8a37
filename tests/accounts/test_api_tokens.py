import pytest
from django.urls import reverse

from accounts.models import APIToken, Department, hash_token_key
from accounts.services import api_token_authenticate, api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_a_hash(api_token):
    token, key = api_token

    stored = APIToken.objects.get(pk=token.pk)
    assert key not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.key_hash == hash_token_key(key)
    assert key.startswith(stored.prefix)


def test_a_valid_token_reads_the_api_and_records_its_last_use(token_client, api_token):
    token, _ = api_token
    assert token.last_used_at is None

    response = token_client.get(reverse("api:department-list"))

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused(token_client, api_token):
    api_token_revoke(token=api_token[0])

    response = token_client.get(reverse("api:department-list"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_refused(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token mpt_not-a-real-key")

    response = api_client.get(reverse("api:department-list"))

    assert response.status_code == 401
    assert "Invalid, expired or revoked token" in response.json()["detail"]


def test_a_token_of_a_deactivated_user_is_refused(token_client, api_token):
    user = api_token[0].user
    user.is_active = False
    user.save()

    assert token_client.get(reverse("api:department-list")).status_code == 401


def test_the_bearer_keyword_works_too(api_client, api_token):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token[1]}")

    assert api_client.get(reverse("api:me")).json()["username"] == "bi"


def test_a_token_is_read_only_even_for_an_administrators_token(api_client, admin_user):
    _, key = api_token_create(name="admin's script", user=admin_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api_client.post(reverse("api:department-list"), {"name": "销售部"}, format="json")

    assert response.status_code == 403
    assert response.json()["detail"] == "API tokens are read-only."
    assert not Department.objects.filter(name="销售部").exists()


def test_authenticate_returns_none_for_an_unknown_key():
    assert api_token_authenticate(key="mpt_unknown") is None


def test_an_administrator_creates_a_token_in_the_admin_and_sees_its_key_once(client, admin_user, make_user):
    viewer = make_user("viewer", username="metabase")
    client.force_login(admin_user)

    response = client.post(reverse("admin:accounts_apitoken_add"), {"name": "Metabase", "user": viewer.pk})

    token = APIToken.objects.get(name="Metabase")
    key = response.context["key"]
    assert key in response.content.decode()
    assert token.matches(key)
    assert token.created_by == admin_user
    # The key is not shown again on the token's page.
    page = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    assert key not in page


def test_an_administrator_revokes_tokens_from_the_admin_list(client, admin_user, api_token):
    token, key = api_token
    client.force_login(admin_user)

    client.post(reverse("admin:accounts_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_authenticate(key=key) is None
