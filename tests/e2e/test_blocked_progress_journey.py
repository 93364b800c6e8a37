"""On a phone, in Chinese: moving the progress of a blocked (受阻) task saves it; after a reload
it is still there, the task still blocked, and the task's history shows the change."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def zh_phone_page(browser, live_server):
    """A 375 px wide phone whose browser asks for Chinese."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_blocked_tasks_progress_survives_a_reload_on_a_phone_in_chinese(zh_phone_page, demo, screenshot):
    page = zh_phone_page
    page.goto("/accounts/login/")
    page.fill("#id_username", "ecommerce")
    page.fill("#id_password", "demo-pass-2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto("/my-tasks/")
    task = Task.objects.get(name="新品详情页上线")
    assert task.status == TaskStatus.BLOCKED
    card = page.locator(f"#task-{task.pk}")
    expect(card.locator(".badge").first).to_have_text("受阻")

    page.locator(f"#progress-{task.pk}").fill("80")

    expect(page.locator(f"#task-{task.pk}")).to_contain_text("已保存")
    expect(page.locator(f"#task-{task.pk} .alert-danger")).to_have_count(0)
    page.reload()
    expect(page.locator(f"#progress-{task.pk}")).to_have_value("80")
    expect(page.locator(f"#task-{task.pk} output")).to_have_text("80%")
    expect(page.locator(f"#task-{task.pk} .badge").first).to_have_text("受阻")
    screenshot(page, "my-tasks-blocked-progress-phone-zh")

    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.BLOCKED, 80)
    page.goto(f"/tasks/{task.pk}/")
    latest = page.locator("#status-history li").first
    expect(latest).to_contain_text("80%")
    expect(latest).to_contain_text("设计素材未到位")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
