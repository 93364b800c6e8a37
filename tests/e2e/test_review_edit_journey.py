"""On a phone, a manager changes a lesson, a follow-up action's due date, and deletes a lesson
and a line they added, from a draft review's page (the deletes confirmed on a page, no script)."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from reviews.models import FollowUpAction, Lesson, LessonKind, ReviewLine
from reviews.services.actions import ActionInput, action_save
from reviews.services.lessons import LessonInput, lesson_save
from reviews.services.reviews import LineInput, review_line_save
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, UserFactory
from tests.factories.plans import TargetFactory, metric, record_value
from tests.factories.reviews import form4_review

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_edits_and_deletes_from_the_review_page_on_a_phone(phone_page, screenshot):
    page = phone_page
    manager = UserFactory(username="manager-edit", roles=[Role.MARKETING_MANAGER], name="王经理")
    review = form4_review(owner=manager)
    lesson = lesson_save(review=review, data=LessonInput(kind=LessonKind.WORKED, text="小红书种草笔记转化好"))
    action = action_save(review=review, data=ActionInput(action="提前备货", owner=manager, due_date=date(2026, 7, 9)))
    TargetFactory(campaign=review.campaign, metric=metric("reach"), target_value=Decimal("1000"), sort_order=20)
    record_value(review.campaign, code="reach", on=date(2026, 6, 15), value="800")
    line = review_line_save(review=review, data=LineInput(dimension="reach", metric=metric("reach")))
    log_in(page, manager.username, PASSWORD)

    page.goto(review.get_absolute_url())
    page.locator(f"#lesson-{lesson.pk} a", has_text="Edit").click()
    expect(page.locator("#id_text")).to_have_value("小红书种草笔记转化好")
    page.fill("#id_text", "抖音直播带货：提前锁定主播档期")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(f"#lesson-{lesson.pk}")).to_contain_text("抖音直播带货")

    page.locator(f"#action-{action.pk} a", has_text="Edit").click()
    page.fill("#id_due_date", "2026-07-20")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(f"#action-{action.pk}")).to_contain_text("2026-07-20")

    page.locator(f"#lesson-{lesson.pk} a", has_text="Delete").click()
    page.get_by_role("button", name="Delete").click()
    expect(page.locator("#lessons")).to_contain_text("No lessons yet.")

    page.locator("article.form4-card a.line-delete").click()
    screenshot(page, "line-delete-375-en")
    page.get_by_role("button", name="Delete").click()
    expect(page.locator("article.form4-card a.line-delete")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "review-edited-375-en")

    assert not Lesson.objects.filter(pk=lesson.pk).exists()
    assert not ReviewLine.objects.filter(pk=line.pk).exists()
    assert FollowUpAction.objects.get(pk=action.pk).due_date == date(2026, 7, 20)
