"""A staff member updates their day on a phone: one tap, a note where needed, no page reload."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tasks.models import DailyCheckIn, Task, TaskStatus
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_staff_update_their_tasks_in_place_on_a_phone(phone_page, demo, screenshot):
    page = phone_page
    log_in(page, "ecommerce", "demo-pass-2026")
    page.goto("/my-tasks/")
    task = Task.objects.get(name="私域社群预售")
    card = page.locator(f"#task-{task.pk}")
    page.evaluate("window.__not_reloaded = true")

    card.locator("button[value=blocked]").tap()
    expect(page.locator(f"#task-{task.pk} .alert-danger")).to_contain_text("needs a reason")

    page.locator(f"#task-{task.pk} input[name=note]").fill("等待平台审核")
    page.locator(f"#task-{task.pk} button[value=blocked]").tap()
    expect(page.locator(f"#task-{task.pk}")).to_contain_text("Saved")
    expect(page.locator(f"#task-{task.pk} .badge").first).to_have_text("blocked")

    assert page.evaluate("window.__not_reloaded") is True  # htmx swapped the card; no reload
    task.refresh_from_db()
    assert task.status == TaskStatus.BLOCKED
    assert task.updates.first().note == "等待平台审核"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(page, "my-tasks-phone")


def test_nothing_to_report_is_one_tap(phone_page, demo):
    page = phone_page
    log_in(page, "channel", "demo-pass-2026")
    page.goto("/my-tasks/")

    page.locator("text=Nothing to report today").tap()

    expect(page.locator("#check-in")).to_contain_text("nothing to report")
    assert DailyCheckIn.objects.filter(user__username="channel").count() == 1


def test_moving_the_progress_slider_saves_it(phone_page, demo):
    page = phone_page
    log_in(page, "ecommerce", "demo-pass-2026")
    page.goto("/my-tasks/")
    task = Task.objects.get(name="直播预热场")

    page.locator(f"#progress-{task.pk}").fill("80")

    expect(page.locator(f"#task-{task.pk}")).to_contain_text("Saved")
    task.refresh_from_db()
    assert task.progress == 80
    assert task.status == TaskStatus.NOT_STARTED
