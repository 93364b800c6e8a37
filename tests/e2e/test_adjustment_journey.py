"""A manager requests a budget increase of the executing launch campaign; the marketing lead and
then the executive approve it; the campaign page shows the new budget with the original beside
it. On a phone, in Chinese, the approval page and the campaign page keep to the screen."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from plans.demo import CAMPAIGN_NAME
from plans.models import Campaign
from tests.e2e.conftest import log_in
from tracking.models import Adjustment, AdjustmentState

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-2026"


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Campaign.objects.get(name=CAMPAIGN_NAME)


def as_user(page, username):
    page.context.clear_cookies()
    log_in(page, username, PASSWORD)


def test_a_budget_increase_goes_through_both_approvals_and_shows_beside_the_original(page, demo, screenshot):
    as_user(page, "brand")
    page.goto(f"/campaigns/{demo.pk}/")
    page.locator("#adjustments a.request-adjustment[data-kind=budget]").click()
    page.fill(f"#id_v-campaign-{demo.pk}-budget", "500000")
    page.fill("#id_reason", "首周销量超预期，追加投放。Sales run ahead of plan.")
    page.locator("button[name=preview]").click()
    expect(page.locator("#adjustment-preview")).to_contain_text("¥500,000")
    expect(page.locator("#adjustment-preview")).to_contain_text("major")
    screenshot(page, "adjustment-preview-1280-en")
    page.locator("#submit-adjustment").click()
    expect(page).to_have_url(re.compile(r"/adjustments/\d+/$"))
    adjustment = Adjustment.objects.get(requested_by__username="brand", kind="budget", state="pending")

    as_user(page, "manager")  # the plan's owner: the marketing lead
    page.locator(f"#adjustments-to-decide a[data-adjustment='{adjustment.pk}']").click()
    expect(page.locator("#adjustment-changes")).to_contain_text("¥300,000")
    screenshot(page, "adjustment-approval-1280-en")
    page.locator("#approve-adjustment").click()
    expect(page.locator("#adjustment-awaiting")).to_contain_text("executive")

    as_user(page, "executive")
    page.goto(f"/adjustments/{adjustment.pk}/")
    page.locator("#approve-adjustment").click()
    expect(page.locator("#adjustment-state")).to_have_text("approved")

    page.goto(f"/campaigns/{demo.pk}/")
    expect(page.locator("#campaign-budget")).to_contain_text("500,000")
    original = page.locator(".adjusted-original").first
    expect(original).to_contain_text("300,000")
    assert "300,000" in original.get_attribute("title")
    expect(page.locator("#adjustments-approved")).to_contain_text(f"#{adjustment.pk}")
    screenshot(page, "campaign-adjusted-budget-1280-en")
    page.locator("#campaign-budget").locator("xpath=../..").screenshot(
        path="test-results/campaign-budget-card-1280-en.png"
    )
    page.locator("#adjustments").screenshot(path="test-results/campaign-adjustments-card-1280-en.png")
    adjustment.refresh_from_db()
    assert adjustment.state == AdjustmentState.APPROVED


def test_on_a_phone_in_chinese_the_adjustment_pages_keep_to_the_screen(phone_page, demo, screenshot):
    User.objects.update(language="zh-hans")
    pending = Adjustment.objects.get(campaign=demo, state="pending")
    log_in(phone_page, "executive", PASSWORD)

    phone_page.goto(f"/adjustments/{pending.pk}/")
    expect(phone_page.locator("#approve-adjustment")).to_contain_text("通过并生效")
    screenshot(phone_page, "adjustment-approval-375-zh")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375

    phone_page.goto(f"/campaigns/{demo.pk}/")
    expect(phone_page.locator("#adjustments-pending")).to_contain_text(f"#{pending.pk}")
    expect(phone_page.locator("#adjustments")).to_contain_text("动态调整")
    screenshot(phone_page, "campaign-adjustments-375-zh")
    phone_page.locator("#adjustments").screenshot(path="test-results/campaign-adjustments-card-375-zh.png")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375

    phone_page.goto(f"/plans/{demo.plan_id}/")
    expect(phone_page.locator(".adjusted-original").first).to_contain_text("原值")
    screenshot(phone_page, "plan-adjusted-lines-375-zh")
    phone_page.locator("#budget").screenshot(path="test-results/plan-budget-card-375-zh.png")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375

    phone_page.goto(f"/plans/{demo.plan_id}/monthly-review/")
    screenshot(phone_page, "monthly-review-375-zh")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
