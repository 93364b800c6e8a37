"""The pages people open on a phone, at 375 px and in Chinese: nothing wider than the screen,
no figure broken across lines, tables read as cards, blocked reasons shown, and the controls
of My tasks at least 44 px high."""

import pytest
from django.core.management import call_command

from accounts.models import User
from plans.demo import CAMPAIGN_NAME
from plans.models import AnnualPlan, Campaign
from tasks import selectors
from tasks.models import Task, TaskStatus
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

MIN_TAP = 44

# Elements holding one figure each (amounts, counts, percentages): each must sit on one line.
FIGURES = ".num, .stat-value"
WRAPPED_FIGURES = """(selector) => Array.from(document.querySelectorAll(selector)).filter(el => {
    if (!el.offsetParent) return false;
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.bottom)));
    return lines.size > 1;
}).map(el => el.textContent.trim())"""
# Visible elements whose right edge goes past the screen, whether the page scrolls or a
# scrolling box clips them (a table cut off at its attainment column).
PAST_THE_EDGE = """(selector) => Array.from(document.querySelectorAll(selector)).filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > document.documentElement.clientWidth + 0.5;
}).map(el => el.textContent.trim().slice(0, 40))"""


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    User.objects.update(language="zh-hans")


def check_fits(page, cells: str = "td, th"):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"
    assert page.evaluate(WRAPPED_FIGURES, FIGURES) == [], f"figures broken across lines on {page.url}"
    assert page.evaluate(PAST_THE_EDGE, cells) == [], f"cells cut off at the screen's edge on {page.url}"


def test_the_campaign_page_reads_on_a_phone_in_chinese(phone_page, demo, screenshot):
    page = phone_page
    log_in(page, "manager", "demo-pass-2026")
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)

    page.goto(campaign.get_absolute_url())
    page.wait_for_selector("#blocked-tasks")
    page.wait_for_selector("#open-alerts")

    assert page.locator("html").get_attribute("lang") == "zh-hans"
    check_fits(page)
    baseline = page.locator(".goal-table td[data-label='基准值']").first
    assert baseline.is_visible()  # a card's line, with its label, not a column one character wide
    assert baseline.bounding_box()["width"] > 200
    assert page.locator(".goal-table td[data-label='达成率']").first.is_visible()
    assert "设计素材未到位" in page.locator("#blocked-tasks").inner_text()
    screenshot(page, "campaign-phone-zh")


def test_the_plan_targets_and_the_alert_list_read_on_a_phone_in_chinese(phone_page, demo, screenshot):
    page = phone_page
    log_in(page, "manager", "demo-pass-2026")

    page.goto(AnnualPlan.objects.get().get_absolute_url())
    page.wait_for_selector("#open-alerts")
    check_fits(page, "#targets td, #targets th")
    screenshot(page, "plan-phone-zh")

    page.goto("/alerts/")
    check_fits(page)
    assert page.locator("#alert-table td[data-label='实际值']").first.is_visible()
    screenshot(page, "alerts-phone-zh")


def test_the_dashboard_reads_on_a_phone_for_each_role(phone_page, demo, screenshot):
    page = phone_page
    for username in ("executive", "ecom_lead", "ecommerce"):
        log_in(page, username, "demo-pass-2026")
        page.goto("/")
        check_fits(page)
        screenshot(page, f"dashboard-phone-zh-{username}")
        page.context.clear_cookies()


def test_the_raci_matrix_filtered_on_blocked_shows_the_reason_on_a_phone(phone_page, demo, screenshot):
    page = phone_page
    log_in(page, "manager", "demo-pass-2026")
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    blocked = Task.objects.get(status=TaskStatus.BLOCKED)

    page.goto(f"/campaigns/{campaign.pk}/raci/?status=blocked")

    row = page.locator(f"tr[data-task='{blocked.pk}']")
    assert "设计素材未到位" in row.inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(page, "raci-blocked-phone-zh")


def test_a_matrix_of_several_pages_reads_and_turns_on_a_phone(phone_page, demo, screenshot, monkeypatch):
    monkeypatch.setattr(selectors, "RACI_PAGE_SIZE", 4)  # the live server runs in this process
    page = phone_page
    log_in(page, "manager", "demo-pass-2026")
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    total = Task.objects.filter(campaign=campaign).count()
    assert total > 4

    page.goto(f"/campaigns/{campaign.pk}/raci/")
    pages = page.locator("#raci-pages")
    assert f"共 {total} 项" in pages.inner_text()
    assert page.locator("#raci-table tr[data-task]").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "raci-pages-phone-zh")

    pages.locator("a[rel=next]").click()
    page.wait_for_url("**/raci/?page=2")
    assert "第 5–" in page.locator("#raci-pages").inner_text()
    assert page.locator("#raci-pages a[rel=prev]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_my_tasks_controls_are_at_least_44_px_high(phone_page, demo, screenshot):
    page = phone_page
    log_in(page, "ecommerce", "demo-pass-2026")

    page.goto("/my-tasks/")

    controls = page.locator(".task-card .status-buttons button, .task-card input[type=range], #check-in button")
    assert controls.count() > 5
    heights = [controls.nth(n).bounding_box()["height"] for n in range(controls.count())]
    assert min(heights) >= MIN_TAP, heights
    check_fits(page, ".task-card")
    screenshot(page, "my-tasks-phone-zh")
