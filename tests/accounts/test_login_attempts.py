"""Login attempts are limited by username and by address (django-axes), on the site's login
and the admin's: at the limit even the right password is refused, with when to try again."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGINS = [("accounts:login", "site"), ("admin:login", "admin")]


@pytest.fixture
def person(make_user):
    return make_user(Role.MARKETING_MANAGER, username="wang", is_staff=True)


def _attempt(client, login, username, password, address="10.0.0.1", **extra):
    return client.post(reverse(login), {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(("login", "_name"), LOGINS)
def test_one_failure_short_of_the_limit_the_right_password_still_logs_in(client, person, login, _name):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert _attempt(client, login, "wang", "wrong").status_code == 200

    response = _attempt(client, login, "wang", PASSWORD)

    assert response.status_code == 302
    assert _logged_in(client)


@pytest.mark.parametrize(("login", "_name"), LOGINS)
def test_at_the_limit_the_right_password_is_refused_and_says_when_to_try_again(client, person, login, _name):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _attempt(client, login, "wang", "wrong")
    locked = _attempt(client, login, "wang", "wrong")

    response = _attempt(client, login, "wang", PASSWORD)

    assert locked.status_code == 429
    assert response.status_code == 429
    assert not _logged_in(client)
    page = response.content.decode()
    assert f"paused for {settings.LOGIN_LOCKOUT_MINUTES} minutes" in page
    assert response.context["retry_at"].strftime("%H:%M") in page
    assert int(response["Retry-After"]) == settings.LOGIN_LOCKOUT_MINUTES * 60


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(client, person):
    for _ in range(30):
        _attempt(client, "accounts:login", "wang", "wrong")

    assert _attempt(client, "accounts:login", "wang", PASSWORD).status_code == 429
    assert _attempt(client, "admin:login", "wang", PASSWORD).status_code == 429
    assert not _logged_in(client)


def test_failures_for_one_username_from_many_addresses_lock_that_username(client, person, make_user):
    make_user(Role.STAFF, username="li")
    for number in range(settings.LOGIN_FAILURE_LIMIT):
        _attempt(client, "accounts:login", "wang", "wrong", address=f"10.0.1.{number}")

    assert _attempt(client, "accounts:login", "wang", PASSWORD, address="10.0.2.1").status_code == 429
    # Another person from yet another address is not held up.
    assert _attempt(client, "accounts:login", "li", PASSWORD, address="10.0.2.2").status_code == 302


def test_failures_for_many_usernames_from_one_address_lock_that_address(client, person):
    for number in range(settings.LOGIN_FAILURE_LIMIT):
        _attempt(client, "accounts:login", f"guess{number}", "wrong", address="10.0.3.1")

    assert _attempt(client, "accounts:login", "wang", PASSWORD, address="10.0.3.1").status_code == 429
    assert _attempt(client, "accounts:login", "wang", PASSWORD, address="10.0.3.2").status_code == 302


def test_after_the_pause_the_right_password_logs_in(client, person):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _attempt(client, "accounts:login", "wang", "wrong")
    pause = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)

    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get(username="wang").attempt_time - pause)

    assert _attempt(client, "accounts:login", "wang", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_count(client, person):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _attempt(client, "accounts:login", "wang", "wrong")
    _attempt(client, "accounts:login", "wang", PASSWORD)
    client.logout()

    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _attempt(client, "accounts:login", "wang", "wrong")

    assert _attempt(client, "accounts:login", "wang", PASSWORD).status_code == 302


def test_the_lockout_page_is_in_chinese_for_a_chinese_browser(client, person):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = _attempt(client, "accounts:login", "wang", "wrong", HTTP_ACCEPT_LANGUAGE="zh-hans")

    page = response.content.decode()
    assert response.status_code == 429
    assert f"登录已暂停 {settings.LOGIN_LOCKOUT_MINUTES} 分钟" in page
    assert reverse("accounts:password_reset") in page


def test_behind_a_trusted_proxy_the_clients_own_address_is_counted(client, person, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(settings.LOGIN_FAILURE_LIMIT):
        _attempt(client, "accounts:login", f"guess{number}", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9")

    # Same load balancer address, another client: not held up; the guesser is.
    other = _attempt(client, "accounts:login", "wang", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    client.logout()
    guesser = _attempt(client, "accounts:login", "wang", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert (other.status_code, guesser.status_code) == (302, 429)


def test_a_forged_forwarded_address_does_not_escape_the_count(client, person, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(settings.LOGIN_FAILURE_LIMIT):
        # The client adds a made-up address of its own; the proxy appends the real one.
        _attempt(client, "accounts:login", "x", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.9")

    response = _attempt(client, "accounts:login", "wang", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.77, 203.0.113.9")

    assert response.status_code == 429


def test_the_test_clients_login_is_not_counted(client, person):
    assert client.login(username="wang", password=PASSWORD)
    assert not client.login(username="wang", password="wrong")
    assert not AccessAttempt.objects.exists()
