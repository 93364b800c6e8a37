"""The demo manager connects a campaign to its WeCom group and sends a test message, on a
desktop and on a 375 px phone."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from notifications.models import ChatWebhook
from plans.demo import CAMPAIGN_NAME
from plans.models import Campaign
from tests.e2e.conftest import log_in
from tests.notifications.webhook_server import WebhookServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def add_group_and_test_it(page, campaign, url):
    page.goto(campaign.get_absolute_url())
    page.locator("#campaign-webhooks").click()
    expect(page).to_have_url(re.compile(rf"/campaigns/{campaign.pk}/webhooks/$"))
    page.fill("#id_name", "618 大促群")
    page.select_option("#id_kind", "wecom")
    page.fill("#id_url", url)
    page.locator("#webhook-form button[type=submit]").click()
    expect(page.locator("#webhook-list")).to_contain_text("618 大促群")
    page.locator("#webhook-list button", has_text="Send a test message").click()
    expect(page.locator("body")).to_contain_text("was accepted")


def test_the_manager_connects_a_chat_group_and_sends_a_test_message(page, demo, screenshot):
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    log_in(page, "manager", "demo-pass-2026")

    with WebhookServer(platform="wecom") as server:
        add_group_and_test_it(page, campaign, server.url)

    screenshot(page, "campaign-webhooks")
    assert ChatWebhook.objects.get(name="618 大促群").scope == campaign
    [received] = server.accepted
    assert "Test message" in received.json["markdown"]["content"]


def test_the_chat_groups_page_fits_a_phone(phone_page, demo, screenshot):
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    log_in(phone_page, "manager", "demo-pass-2026")

    with WebhookServer(platform="wecom") as server:
        add_group_and_test_it(phone_page, campaign, server.url)

    screenshot(phone_page, "campaign-webhooks-phone")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
