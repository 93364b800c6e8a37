"""The review journeys: a manager finalises a review and downloads its Word report; a search
for 直播 finds the archived lesson; the lessons panel appears beside a new 618 campaign; and
the new pages at 1280 and 375 px, in English and Chinese, for a person to look at."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role
from reviews.models import LessonKind
from reviews.services.actions import ActionInput, action_save
from reviews.services.lessons import LessonInput, lesson_save
from reviews.services.reviews import review_archive, review_finalise
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, UserFactory
from tests.factories.reviews import form4_review

pytestmark = pytest.mark.django_db(transaction=True)

LESSON = "618 抖音直播带货：直播推广费用临时追加，直播预算需提前规划"


@pytest.fixture
def manager():
    return UserFactory(username="manager-e2e", roles=[Role.MARKETING_MANAGER], name="王经理")


@pytest.fixture
def archived(manager):
    review = form4_review(owner=manager, type="promotion", name="2026 618 大促")
    lesson_save(review=review, data=LessonInput(kind=LessonKind.AVOID, text=LESSON, tags="直播,预算"))
    action_save(
        review=review,
        data=ActionInput(action="提前15天完成库存盘点", owner=manager, due_date=review.campaign.end_date),
    )
    review_finalise(review=review, by=manager)
    review_archive(review=review, by=manager)
    return review


def test_a_manager_finalises_a_review_and_downloads_its_docx(page, manager, screenshot):
    review = form4_review(owner=manager)
    log_in(page, manager.username, PASSWORD)

    page.goto(review.get_absolute_url())
    expect(page.locator("#form4")).to_contain_text("96%")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#finalise")
    expect(page.locator("#review-state")).to_have_text("final")
    with page.expect_download() as download:
        page.click("#download-docx")
    assert download.value.suggested_filename == f"review-{review.pk}.docx"
    screenshot(page, "review-final-1280-en")


def test_a_search_for_zhibo_finds_the_lesson(page, archived, manager):
    log_in(page, manager.username, PASSWORD)

    page.goto(reverse("reviews:knowledge") + "?q=直播")

    expect(page.locator("#lesson-results mark").first).to_have_text("直播")
    expect(page.locator("#lesson-results")).to_contain_text("抖音直播带货")


def test_the_lessons_panel_appears_when_a_618_campaign_is_created(page, archived, manager, screenshot):
    log_in(page, manager.username, PASSWORD)

    page.goto(reverse("plans:campaign_create", args=[archived.campaign.plan_id]))
    page.fill("#id_name", "2027 618 大促")
    page.select_option("#id_type", "promotion")

    expect(page.locator("#lessons-panel")).to_contain_text("抖音直播带货")
    screenshot(page, "lessons-panel-1280-en")


@pytest.mark.parametrize(("width", "locale"), [(1280, "en-GB"), (375, "en-GB"), (1280, "zh-CN"), (375, "zh-CN")])
def test_the_new_pages_at_desktop_and_phone_widths(browser, live_server, archived, manager, screenshot, width, locale):
    context = browser.new_context(base_url=live_server.url, locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, manager.username, PASSWORD) if locale == "en-GB" else _log_in_zh(page, manager)
        language = "zh" if locale == "zh-CN" else "en"
        for name, address in [
            ("review", archived.get_absolute_url()),
            ("report", reverse("reviews:review_report", args=[archived.pk])),
            ("knowledge", reverse("reviews:knowledge") + "?q=直播"),
            ("reviews", reverse("reviews:review_list")),
            ("my-tasks", reverse("tasks:my_tasks")),
        ]:
            page.goto(address)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{name} scrolls sideways at {width} px"
            screenshot(page, f"{name}-{width}-{language}")
    finally:
        context.close()


def _log_in_zh(page, manager):
    page.goto("/accounts/login/")
    page.fill("#id_username", manager.username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")  # the language switch has submit buttons too
    page.wait_for_url(lambda address: "/accounts/login" not in address)
