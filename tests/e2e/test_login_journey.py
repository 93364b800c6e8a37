import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def manager():
    department = DepartmentFactory(name="市场部")
    return UserFactory(username="wang", name="王经理", department=department, roles=[Role.MARKETING_MANAGER])


def test_log_in_switch_to_chinese_see_the_dashboard_and_log_out(page, manager, screenshot):
    log_in(page, "wang", PASSWORD)

    expect(page.locator("h1")).to_have_text("Hello, 王经理")
    expect(page.locator("#my-roles")).to_contain_text("Marketing manager")

    page.click("#language-switch button[value=zh-hans]")

    expect(page.locator("h1")).to_have_text("您好，王经理")
    expect(page.locator("#my-roles")).to_contain_text("营销负责人")
    expect(page.locator("#my-department")).to_contain_text("市场部")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot(page, "dashboard-zh-hans")

    page.click("#user-menu")
    page.click("text=退出登录")

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("h1")).to_have_text("登录")


def test_the_language_choice_is_remembered_at_the_next_login(page, manager):
    log_in(page, "wang", PASSWORD)
    page.click("#language-switch button[value=zh-hans]")
    page.context.clear_cookies()

    log_in(page, "wang", PASSWORD)

    expect(page.locator("h1")).to_have_text("您好，王经理")
    expect(page.locator("#my-roles")).to_contain_text("营销负责人")


def test_a_wrong_password_shows_a_message(page, manager):
    log_in(page, "wang", "wrong-password")

    expect(page.locator(".alert-danger")).to_contain_text("correct username and password")


def test_the_dashboard_fits_a_phone_screen(phone_page, manager, screenshot):
    log_in(phone_page, "wang", PASSWORD)
    expect(phone_page.locator("h1")).to_have_text("Hello, 王经理")

    overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    phone_page.click(".navbar-toggler")
    expect(phone_page.locator("#main-nav")).to_be_visible()
    screenshot(phone_page, "dashboard-phone")
