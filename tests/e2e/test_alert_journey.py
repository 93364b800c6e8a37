"""The demo manager finds the alerts the threshold check opened and starts the analysis."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tracking.models import Alert, AlertState

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_manager_acknowledges_an_alert_from_the_dashboard(page, demo, screenshot):
    log_in(page, "manager", "demo-pass-2026")

    expect(page.locator("#notification-count")).to_be_visible()
    alerts = page.locator("#my-alerts")
    expect(alerts).to_contain_text("Units sold")
    screenshot(page, "dashboard-alerts")
    alerts.locator("a.list-group-item", has_text="Online").first.click()

    expect(page).to_have_url(re.compile(r"/alerts/\d+/$"))
    expect(page.locator("body")).to_contain_text("Alert when Units sold is below 80% of the target, paced")
    page.locator("#acknowledge button[type=submit]").click()
    expect(page.locator("#acknowledge .invalid-feedback")).to_be_visible()  # the analysis note is required

    page.locator("#acknowledge textarea").fill("李专员 checks the product page conversion and stock with 郑主管")
    page.locator("#acknowledge button[type=submit]").click()

    expect(page.locator("body")).to_contain_text("李专员 checks the product page conversion")
    alert = Alert.objects.get(analysis_note__startswith="李专员")
    assert alert.state == AlertState.ACKNOWLEDGED
    assert alert.acknowledged_by.username == "manager"
