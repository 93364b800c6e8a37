"""A manager runs the weekly meeting from the review page: edits the drafted log in place and
publishes it; the page also reads on a phone. Screenshots at 1440 and 375 px, in English and
Chinese, are kept in test-results/."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from plans.demo import CAMPAIGN_NAME
from plans.models import Campaign
from plans.weeks import week_start
from tests.e2e.conftest import ARTIFACTS, log_in
from tracking.models import WeeklyLog, WeeklyLogState

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Campaign.objects.get(name=CAMPAIGN_NAME)


def test_a_manager_publishes_a_weekly_log_from_the_review_page(page, demo, screenshot):
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, "manager", "demo-pass-2026")
    page.goto(demo.get_absolute_url())
    page.locator("#campaign-review-link").click()
    page.wait_for_url(f"**/campaigns/{demo.pk}/weekly-review/")

    expect(page.locator("h1")).to_contain_text("Weekly review")
    expect(page.locator("#review-goals")).to_contain_text("First-month unit sales")
    expect(page.locator("#review-blocked")).to_be_visible()
    expect(page.locator("#review-log-state")).to_have_text("draft")
    screenshot(page, "weekly-review-1440-en")

    editor = page.locator("#weekly-log-form")
    editor.locator("textarea[name=summary]").fill("Online trails its pace: design expedites tweet 2.")
    editor.locator("textarea[name$='-measures']").first.fill("追加投放2万元,*专员负责")
    editor.locator("#save-log").click()
    expect(page.locator(".alert-success, .alert")).to_contain_text("The log is saved.")
    expect(page.locator("h1")).to_contain_text("Weekly review")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#review-publish").click()
    expect(page.locator("#review-log-state")).to_have_text("published")
    screenshot(page, "weekly-review-1440-en-published")

    log = WeeklyLog.objects.get(campaign=demo, week=week_start(timezone.localdate()), revision=1)
    assert log.state == WeeklyLogState.PUBLISHED
    assert log.summary.startswith("Online trails its pace")
    assert log.published_by.username == "manager"
    assert "追加投放2万元" in log.rows.order_by("position").first().measures

    User.objects.filter(username="manager").update(language="zh-hans")
    page.goto(log.get_absolute_url())
    expect(page.locator("#weekly-log-rows")).to_contain_text("下周计划重点")
    screenshot(page, "weekly-log-1440-zh")


def test_the_review_page_and_the_log_read_on_a_phone_in_chinese(phone_page, demo, screenshot):
    User.objects.filter(username="manager").update(language="zh-hans")
    log_in(phone_page, "manager", "demo-pass-2026")
    phone_page.goto(f"/campaigns/{demo.pk}/weekly-review/")

    expect(phone_page.locator("h1")).to_contain_text("周度复盘会")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    screenshot(phone_page, "weekly-review-375-zh")
    # What a person sees on the phone's screen: the top of the page, then the log's editor.
    ARTIFACTS.mkdir(exist_ok=True)
    phone_page.screenshot(path=str(ARTIFACTS / "weekly-review-375-zh-top.png"))
    phone_page.locator("#review-log").scroll_into_view_if_needed()
    phone_page.screenshot(path=str(ARTIFACTS / "weekly-review-375-zh-log.png"))
    last = WeeklyLog.objects.filter(campaign=demo, state=WeeklyLogState.PUBLISHED).first()
    phone_page.goto(last.get_absolute_url())
    expect(phone_page.locator("#weekly-log-rows")).to_contain_text("本周计划任务")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "weekly-log-375-zh")
