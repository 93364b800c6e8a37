"""The issue register in a browser: a manager turns an alert into an issue in one click and
saves it; a department lead updates an issue's temporary measure on a phone (375 px); the
register reads on a desktop and a phone, in English and Chinese."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from tests.e2e.conftest import log_in
from tracking.models import Alert, Issue, ThresholdKind

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "demo-pass-2026"


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def no_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_a_manager_turns_an_alert_into_an_issue_in_one_click_and_saves_it(page, demo, screenshot):
    alert = Alert.objects.get(threshold__kind=ThresholdKind.BENCHMARK_BELOW)
    assert alert.issue_id is None
    log_in(page, "manager", PASSWORD)
    page.goto("/alerts/")

    row = page.locator("#alert-table tbody tr", has=page.locator(f'a[href="{alert.get_absolute_url()}"]'))
    row.locator("button.create-issue").click()

    expect(page).to_have_url(re.compile(r"/issues/\d+/edit/$"))
    issue = Issue.objects.get(alerts=alert)
    expect(page.locator("#id_description")).to_have_value(re.compile(re.escape(alert.summary[:20])))
    screenshot(page, "issue-from-alert-form")
    page.select_option("#id_owner", value=str(User.objects.get(username="ecom_lead").pk))
    page.fill("#id_deadline", "2100-01-01")
    page.fill("#id_temporary_measure", "提高首页资源位,检查详情页转化")
    page.locator("#issue-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/issues/{issue.pk}/$"))
    expect(page.locator("#issue-measure")).to_contain_text("提高首页资源位")
    expect(page.locator("#issue-alerts")).to_contain_text(f"#{alert.pk}")
    issue.refresh_from_db()
    assert (issue.owner.username, issue.temporary_measure) == ("ecom_lead", "提高首页资源位,检查详情页转化")
    screenshot(page, "issue-detail-desktop")

    page.goto(alert.get_absolute_url())
    page.locator("#alert-issue-link").click()  # a second visit goes to the issue, not a new one
    expect(page).to_have_url(re.compile(rf"/issues/{issue.pk}/$"))
    assert Issue.objects.filter(alerts=alert).count() == 1


def test_a_department_lead_updates_the_temporary_measure_on_a_phone(phone_page, demo, screenshot):
    page = phone_page
    issue = Issue.objects.get(department__name="设计部")
    log_in(page, "design", PASSWORD)

    page.goto("/")
    page.locator("#department-issues a", has_text=issue.description[:10]).first.tap()
    expect(page).to_have_url(re.compile(rf"/issues/{issue.pk}/$"))
    assert no_overflow(page)
    page.locator("#issue-edit").tap()
    page.fill("#id_temporary_measure", "设计部加班,明天上午交付主图")
    button = page.locator("#issue-form button[type=submit]")
    assert button.bounding_box()["height"] >= 44
    button.tap()

    expect(page.locator("#issue-measure")).to_contain_text("明天上午交付主图")
    assert no_overflow(page)
    issue.refresh_from_db()
    assert issue.temporary_measure == "设计部加班,明天上午交付主图"
    assert issue.history.first().history_user.username == "design"
    expect(page.locator("#issue-history")).to_contain_text("Temporary measure")
    screenshot(page, "issue-detail-phone")


def test_the_register_reads_on_a_desktop_and_a_phone_in_both_languages(browser, live_server, demo, screenshot):
    screens = [(locale, size) for locale in ("en-GB", "zh-CN") for size in ((1280, 900), (375, 740))]
    for locale, (width, height) in screens:
        viewport = {"width": width, "height": height}
        context = browser.new_context(base_url=live_server.url, locale=locale, viewport=viewport)
        page = context.new_page()
        log_in_any(page)
        page.goto("/issues/")
        expect(page.locator("#issue-table tbody tr")).to_have_count(2)
        assert no_overflow(page)
        screenshot(page, f"issue-register-{width}-{locale}")
        page.locator("#issue-table tbody tr a").first.click()
        expect(page.locator("#issue-history")).to_be_visible()
        assert no_overflow(page)
        screenshot(page, f"issue-detail-{width}-{locale}")
        context.close()


def log_in_any(page):
    page.goto("/accounts/login/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(re.compile(r"/$"))
