"""Self-service password reset by e-mail: Django's views with the site's templates, in the
person's language, the same answer for unknown addresses, and a limit on e-mails."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-long-passphrase-2026"
LINK = re.compile(r"(https?://\S+/accounts/password/reset/\S+/\S+/)")


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """The e-mail limits count in the cache: each test starts from nothing."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "reset"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def person(make_user):
    return make_user(Role.STAFF, username="li", name="李娜", email="li.na@example.com")


def _ask(client, email, **extra):
    return client.post(reverse("accounts:password_reset"), {"email": email}, **extra)


def _without_csrf(response) -> str:
    """A page's text without its CSRF token, which is masked afresh for every answer."""
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")\w+', "", response.content.decode())


def _link(message) -> str:
    return LINK.search(message.body)[1]


def test_the_login_page_links_to_the_reset_form(client):
    page = client.get(reverse("accounts:login")).content.decode()

    assert f'href="{reverse("accounts:password_reset")}"' in page
    assert "Forgot your password?" in page


def test_anyone_can_open_the_reset_pages_without_logging_in(client):
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    assert client.get(reverse("accounts:password_reset_done")).status_code == 200
    assert client.get(reverse("accounts:password_reset_complete")).status_code == 200


def test_a_known_address_gets_a_link_that_sets_a_new_password(client, person):
    response = _ask(client, "LI.NA@example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    [message] = mail.outbox
    assert message.to == ["li.na@example.com"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    link = _link(message)
    assert link.startswith(settings.SITE_URL + "/accounts/password/reset/")
    assert "李娜" in message.body

    path = link.removeprefix(settings.SITE_URL)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert client.post(reverse("accounts:login"), {"username": "li", "password": NEW_PASSWORD}).status_code == 302


def test_the_link_works_once(client, person):
    _ask(client, "li.na@example.com")
    path = _link(mail.outbox[0]).removeprefix(settings.SITE_URL)
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(path, follow=True)

    assert not again.context["validlink"]
    assert "no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client, person):
    known = _ask(client, "li.na@example.com")
    unknown = _ask(client, "nobody@example.com")

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(mail.outbox) == 1
    assert _without_csrf(client.get(known["Location"])) == _without_csrf(client.get(unknown["Location"]))


def test_an_inactive_account_gets_no_e_mail(client, person):
    person.is_active = False
    person.save()

    assert _ask(client, "li.na@example.com")["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_the_e_mail_is_in_the_persons_own_language(client, person):
    person.language = "zh-hans"
    person.save()

    _ask(client, "li.na@example.com", HTTP_ACCEPT_LANGUAGE="en")

    [message] = mail.outbox
    assert message.subject == "设置营销计划跟踪系统的新密码"
    assert "您好" in message.body


def test_the_pages_are_in_chinese_for_a_chinese_browser(client):
    page = client.get(reverse("accounts:password_reset"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "忘记密码" in page
    assert "发送链接" in page


def test_e_mails_to_one_address_stop_at_the_hourly_limit_with_the_same_answer(client, person):
    answers = [_ask(client, "li.na@example.com", REMOTE_ADDR=f"10.0.0.{n}") for n in range(5)]

    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAILS_PER_HOUR
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("accounts:password_reset_done"))}


def test_requests_from_one_client_stop_at_the_hourly_limit(client, make_user, settings):
    settings.PASSWORD_RESET_REQUESTS_PER_HOUR = 2
    for n in range(3):
        make_user(Role.STAFF, username=f"p{n}", email=f"p{n}@example.com")

    for n in range(3):
        _ask(client, f"p{n}@example.com", REMOTE_ADDR="10.9.9.9")

    assert [m.to for m in mail.outbox] == [["p0@example.com"], ["p1@example.com"]]


def test_setting_a_new_password_lifts_a_lockout_of_the_username(client, person):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "li", "password": "wrong"})
    assert client.post(reverse("accounts:login"), {"username": "li", "password": PASSWORD}).status_code == 429

    _ask(client, "li.na@example.com")
    path = _link(mail.outbox[0]).removeprefix(settings.SITE_URL)
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert not AccessAttempt.objects.filter(username="li").exists()
    assert client.post(reverse("accounts:login"), {"username": "li", "password": NEW_PASSWORD}).status_code == 302


def test_a_weak_new_password_is_refused_naming_the_field(client, person):
    _ask(client, "li.na@example.com")
    path = _link(mail.outbox[0]).removeprefix(settings.SITE_URL)
    form_url = client.get(path, follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
