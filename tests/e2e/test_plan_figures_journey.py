"""The plan page's figures on a phone, in Chinese: each quarter's actual against its share of
the split, the budget lines' spend and what remains (overspent in red), and a lower-is-better
target over its target drawn as a miss — all without the page scrolling sideways."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import AnnualPlan, Channel, Metric, MetricValue

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    plan = AnnualPlan.objects.get(status="active")
    cost, day = Metric.objects.get(code="marketing_cost"), timezone.localdate() - timedelta(days=40)
    # The e-commerce line (¥550万 since the demo's approved reallocation) overspent by ¥20万.
    ecommerce = Channel.objects.get(code="ecommerce")
    MetricValue.objects.create(
        metric=cost,
        plan=plan,
        channel=ecommerce,
        date=day,
        value=Decimal(5_700_000),
    )
    return plan


@pytest.fixture
def zh_phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_plan_pages_figures_read_on_a_phone_in_chinese(zh_phone_page, demo, screenshot):
    page = zh_phone_page
    page.goto("/accounts/login/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", "demo-pass-2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")

    page.goto(demo.get_absolute_url())

    expect(page.locator("#targets .quarter-row[data-quarter='1']").first).to_contain_text("(20%)")
    response_time = page.locator("#targets tr.goal-row", has_text="负面舆情响应时长")
    expect(response_time.locator(".progress-bar")).to_have_class(re.compile(r"\bbg-danger\b.*\bprogress-bar-striped\b"))
    line = page.locator("#budget tr.budget-line", has_text="电商平台")
    expect(line).to_contain_text("¥570万")
    expect(line.locator("span.text-danger:visible")).to_have_text("超支 ¥20万")
    expect(page.locator("#budget-spent")).to_contain_text("已支出")
    page.wait_for_timeout(500)  # the alerts section loads in place
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(page, "plan-figures-phone-zh")
