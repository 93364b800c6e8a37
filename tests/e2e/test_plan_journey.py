"""A marketing manager opens the demo plan, splits a campaign goal and records the day's figures."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import MetricValue
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-2026"


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_manager_sees_attainment_and_records_figures(page, demo, screenshot):
    log_in(page, "manager", PASSWORD)
    page.click("text=Plans")
    page.click("text=Annual marketing plan")

    expect(page.locator("#targets")).to_contain_text("Sales revenue")
    expect(page.locator("#budget")).to_contain_text("30.0%")
    page.click("#campaigns a.list-group-item")

    expect(page.locator("h1")).to_contain_text("New product launch")
    expect(page.locator("#goals")).to_contain_text("Units sold · Online")
    expect(page.locator("#goals")).to_contain_text("off track")
    expect(page.locator("#tasks")).to_contain_text("RACI matrix")  # loaded in place by htmx
    screenshot(page, "campaign")

    page.click("text=Record today's figures")
    page.fill("#id_date", (timezone.localdate() - timedelta(days=0)).isoformat())
    page.select_option("#id_channel", label="Online")
    page.fill("#id_metric_units_sold", "-3")
    page.click("text=Save figures")
    expect(page.locator(".invalid-feedback")).to_contain_text("cannot be negative")

    page.fill("#id_metric_units_sold", "1200")
    page.click("text=Save figures")

    expect(page).to_have_url(re.compile(r"/campaigns/\d+/$"))
    expect(page.locator(".alert-success")).to_contain_text("1 values recorded")
    assert MetricValue.objects.filter(date=timezone.localdate(), metric__code="units_sold", value=1200).exists()


def test_the_plan_page_in_chinese(page, demo):
    log_in(page, "executive", PASSWORD)
    page.click("#language-switch button[value=zh-hans]")
    page.goto("/plans/")
    page.locator("a.list-group-item").first.click()

    expect(page.locator("#targets")).to_contain_text("销售额")
    expect(page.locator("#budget")).to_contain_text("预算")
    expect(page.locator("#section-strategy")).to_contain_text("私域闭环")
