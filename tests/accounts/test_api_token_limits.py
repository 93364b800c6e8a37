"""A token's expiry, its rate limit, and where its key may travel (the Authorization header only)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import APIToken
from accounts.services import api_token_allow_request, api_token_create
from tests.api import url
from tests.factories import token_client

pytestmark = pytest.mark.django_db

# The middle of a one-minute window, so that no test straddles two.
MID_MINUTE = 1_800_000_030.0


@pytest.fixture
def bi_user(make_user):
    return make_user("viewer", username="powerbi")


def test_a_token_before_its_expiry_reads(bi_user):
    _, key = api_token_create(name="Excel", user=bi_user, expires_at=timezone.now() + timedelta(minutes=1))

    assert token_client(key).get(url("plan-list")).status_code == 200


def test_an_expired_token_is_refused_with_401(bi_user):
    token, key = api_token_create(name="Excel", user=bi_user, expires_at=timezone.now() + timedelta(minutes=1))
    APIToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())

    response = token_client(key).get(url("plan-list"))

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_token_cannot_be_created_already_expired(bi_user):
    with pytest.raises(ValidationError) as error:
        api_token_create(name="Excel", user=bi_user, expires_at=timezone.now())

    assert "expires_at" in error.value.message_dict
    assert not APIToken.objects.exists()


@pytest.mark.parametrize("parameter", ["token", "key", "access_token", "api_key"])
def test_a_key_in_the_url_is_refused(api_client, api_token, parameter):
    _, key = api_token

    response = api_client.get(url("plan-list"), {parameter: key})

    assert response.status_code == 401
    assert "Authorization header" in response.json()["detail"]


def test_a_key_in_the_url_is_refused_even_beside_a_valid_header(token_client, api_token):
    response = token_client.get(url("plan-list"), {"q": api_token[1]})

    assert response.status_code == 401


def test_each_request_is_counted_on_the_token(token_client, api_token):
    token_client.get(url("plan-list"))
    token_client.get(url("metric-list"))

    api_token[0].refresh_from_db()
    assert api_token[0].request_count == 2


def test_the_rate_limit_lets_the_600th_request_of_a_minute_through_and_refuses_the_601st(api_token, settings):
    settings.API_TOKEN_RATE_LIMIT_PER_MINUTE = 600
    token = api_token[0]

    answers = [api_token_allow_request(token=token, now=MID_MINUTE) for _ in range(600)]
    assert all(allowed for allowed, _ in answers)

    allowed, retry_after = api_token_allow_request(token=token, now=MID_MINUTE + 10)
    assert not allowed
    assert retry_after == 20
    # The next minute starts afresh.
    assert api_token_allow_request(token=token, now=MID_MINUTE + 30)[0]


def test_the_request_past_the_limit_answers_429_with_retry_after(token_client, settings, monkeypatch):
    settings.API_TOKEN_RATE_LIMIT_PER_MINUTE = 3
    monkeypatch.setattr("accounts.services.time.time", lambda: MID_MINUTE)

    statuses = [token_client.get(url("metric-list")).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = token_client.get(url("metric-list"))
    assert response["Retry-After"] == "30"


def test_the_limit_is_per_token(api_token, make_user, settings, monkeypatch):
    settings.API_TOKEN_RATE_LIMIT_PER_MINUTE = 1
    monkeypatch.setattr("accounts.services.time.time", lambda: MID_MINUTE)
    _, other_key = api_token_create(name="Metabase", user=make_user("viewer"))

    assert token_client(api_token[1]).get(url("metric-list")).status_code == 200
    assert token_client(other_key).get(url("metric-list")).status_code == 200


def test_a_signed_in_person_is_not_rate_limited(client_as, settings, monkeypatch):
    settings.API_TOKEN_RATE_LIMIT_PER_MINUTE = 1
    monkeypatch.setattr("accounts.services.time.time", lambda: MID_MINUTE)
    client = client_as("viewer")

    assert [client.get(url("metric-list")).status_code for _ in range(2)] == [200, 200]
