"""A person who forgot their password sets a new one from the e-mail, on a phone, in Chinese;
one who keeps guessing is paused and told until when."""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a-fresh-long-passphrase-2026"


def log_in(page, username: str, password: str):
    """The login form, whatever the page's language."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form:has(#id_username) button[type=submit]")


@pytest.fixture
def chinese_phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh-hans"},
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def person():
    return UserFactory(username="li", name="李娜", email="li.na@example.com", language="zh-hans", roles=[Role.STAFF])


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "e2e"}}


def test_a_forgotten_password_is_set_again_from_the_e_mail(chinese_phone, person, live_server, screenshot):
    page = chinese_phone
    page.goto("/accounts/login/")
    page.click("#forgot-password")

    expect(page.locator("h1")).to_have_text("忘记密码？")
    page.fill("#id_email", "li.na@example.com")
    screenshot(page, "password-reset-phone-zh")
    page.click("#password-reset-form button[type=submit]")

    expect(page.locator("#password-reset-sent h1")).to_have_text("请查收电子邮件")
    [message] = mail.outbox
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/\S+/", message.body)[0]
    page.goto(live_server.url + link.removeprefix(settings.SITE_URL))
    expect(page.locator("h1")).to_have_text("设置新密码")
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    screenshot(page, "password-set-phone-zh")
    page.click("#set-password-form button[type=submit]")

    expect(page.locator("#password-reset-complete")).to_contain_text("新密码已设置")
    log_in(page, "li", NEW_PASSWORD)
    expect(page.locator("h1")).to_contain_text("李娜")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_repeated_wrong_passwords_pause_logging_in_and_say_until_when(chinese_phone, person, screenshot):
    page = chinese_phone
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(page, "li", "wrong-guess")

    expect(page.locator("#lockout")).to_contain_text(f"登录已暂停 {settings.LOGIN_LOCKOUT_MINUTES} 分钟")
    expect(page.locator("#lockout")).to_contain_text(re.compile(r"请在 \d\d:\d\d 之后重试"))
    screenshot(page, "lockout-phone-zh")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
