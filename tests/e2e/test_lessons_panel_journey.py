"""Lessons come to the planner: in the demo, the new task form of a 618 promotion planned in
the demo plan shows the lessons archived from the demo's reviewed 618 campaign beside it, on a
desktop and on a phone; the weekly review of that campaign shows them too."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from plans.models import Campaign, CampaignType
from tests.e2e.conftest import log_in
from tests.factories import CampaignFactory, TargetFactory, channel

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "demo-pass-2026"


@pytest.fixture
def next_618():
    """The demo, and a 2027 618 promotion planned in its plan with a goal on online sales."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reviewed = Campaign.objects.get(type=CampaignType.MAJOR_PROMOTION)
    campaign = CampaignFactory(
        plan=reviewed.plan, owner=reviewed.owner, type=CampaignType.MAJOR_PROMOTION, name="2027 618 大促"
    )
    TargetFactory(campaign=campaign, channel=channel("online"))
    return campaign


@pytest.mark.parametrize("width", [1280, 375])
def test_the_lessons_panel_appears_beside_the_new_task_form(browser, live_server, next_618, screenshot, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, "manager", DEMO_PASSWORD)
        page.goto(reverse("tasks:task_create", args=[next_618.pk]))

        panel = page.locator("#lessons-panel")
        expect(panel).to_contain_text("抖音直播带货")
        expect(panel.locator(".lesson-tip").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"lessons-task-form-{width}")

        page.goto(reverse("tracking:campaign_review", args=[next_618.pk]))
        expect(page.locator("#lessons-panel")).to_contain_text("抖音直播带货")
        screenshot(page, f"lessons-weekly-review-{width}")
    finally:
        context.close()
