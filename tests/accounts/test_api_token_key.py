"""A new API token's key is shown on the page that created it, and travels in no cookie and no session."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts import services
from accounts.models import APIToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def created_keys(monkeypatch):
    """The keys the service creates, as the service returned them."""
    keys = []
    create = services.api_token_create

    def recording_create(**kwargs):
        token, key = create(**kwargs)
        keys.append(key)
        return token, key

    monkeypatch.setattr(services, "api_token_create", recording_create)
    return keys


@pytest.fixture
def created(client, admin_user, make_user, created_keys):
    """The admin's answer to adding a token, and the token."""
    viewer = make_user("viewer", username="metabase")
    client.force_login(admin_user)
    response = client.post(reverse("admin:accounts_apitoken_add"), {"name": "Metabase", "user": viewer.pk})
    return response, APIToken.objects.get(name="Metabase")


def test_the_add_page_answers_with_the_key_itself(created):
    response, token = created

    assert response.status_code == 200
    key = response.context["key"]
    assert token.matches(key)
    assert f'value="{key}"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_key_is_in_no_cookie_and_no_session(client, created, created_keys):
    response, _token = created
    [key] = created_keys
    secret = key.removeprefix(APIToken.KEY_PREFIX)

    assert all(secret not in morsel.value for morsel in response.cookies.values())
    assert all(secret not in morsel.value for morsel in client.cookies.values())
    assert secret not in repr(dict(client.session.items()))
    assert secret not in str(client.session.session_key)
    # Nothing is queued for the next page either.
    next_page = client.get(reverse("admin:accounts_apitoken_changelist"))
    assert all(secret not in str(message) for message in get_messages(next_page.wsgi_request))
    assert secret not in next_page.content.decode()


def test_the_key_page_links_to_the_token_and_the_list(created):
    response, token = created
    page = response.content.decode()

    assert reverse("admin:accounts_apitoken_change", args=[token.pk]) in page
    assert reverse("admin:accounts_apitoken_changelist") in page


def test_changing_a_token_name_answers_as_usual(client, created):
    _, token = created

    response = client.post(reverse("admin:accounts_apitoken_change", args=[token.pk]), {"name": "Metabase prod"})

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.name == "Metabase prod"
