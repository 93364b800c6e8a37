"""The review's pages and files, who may do what, and the knowledge base's search."""

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from accounts.models import Role
from reviews.models import FollowUpAction, LessonKind, ReviewState
from reviews.services.actions import ActionInput, action_save
from reviews.services.lessons import LessonInput, lesson_save
from reviews.services.reviews import review_archive, review_finalise
from tests.factories import UserFactory
from tests.factories.reviews import form4_review

pytestmark = pytest.mark.django_db


def archived_review_with_lesson(text="抖音直播带货：主播口播准备不足，转化低于预期"):
    review = form4_review()
    lesson_save(review=review, data=LessonInput(kind=LessonKind.AVOID, text=text, tags="直播,抖音"))
    review_finalise(review=review, by=review.campaign.owner)
    review_archive(review=review, by=review.campaign.owner)
    return review


def test_a_manager_finalises_the_review_from_its_page(page_as, make_user):
    review = form4_review()
    client = page_as(make_user(Role.MARKETING_MANAGER))

    response = client.post(reverse("reviews:review_finalise", args=[review.pk]))

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.state == ReviewState.FINAL


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE, Role.VIEWER, Role.DEPARTMENT_LEAD])
def test_only_the_owner_and_managers_finalise(page_as, make_user, role):
    review = form4_review()

    response = page_as(make_user(role)).post(reverse("reviews:review_finalise", args=[review.pk]))

    assert response.status_code == 403
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT


def test_an_executive_reads_and_comments(page_as, make_user):
    review = form4_review()
    client = page_as(make_user(Role.EXECUTIVE))

    assert client.get(review.get_absolute_url()).status_code == 200
    client.post(reverse("reviews:review_comment", args=[review.pk]), {"text": "成本控制需加强"})

    assert review.comments.get().text == "成本控制需加强"


def test_the_review_page_shows_form_4(page_as, make_user):
    review = form4_review()

    page = page_as(make_user(Role.STAFF)).get(review.get_absolute_url()).content.decode()

    assert "96%" in page
    assert "120%" in page
    assert "124%" in page
    assert "107%" in page
    assert "1:4.2" in page


def test_the_docx_holds_the_report(page_as, make_user):
    review = form4_review()

    response = page_as(make_user(Role.MARKETING_MANAGER)).get(reverse("reviews:review_docx", args=[review.pk]))

    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "Key data comparison" in text
    assert "1:4.2" in text
    assert "96% missed" in cells
    assert "107% missed" in cells


def test_form_4_downloads_as_xlsx_with_chinese_headers(page_as, make_user):
    review = form4_review()

    response = page_as(make_user(Role.STAFF)).get(reverse("reviews:review_xlsx", args=[review.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:3] == ["评估维度", "核心指标", "目标值"]
    assert [round(row[5].value, 2) for row in sheet.iter_rows(min_row=2)] == [0.96, 1.2, 1.24, 1.07, 0.84]


def test_the_print_report_has_its_five_parts(page_as, make_user):
    review = form4_review()

    page = page_as(make_user(Role.STAFF)).get(reverse("reviews:review_report", args=[review.pk])).content.decode()

    for part in ["Achievement overview", "Key data comparison", "What worked", "Lessons", "Follow-up actions"]:
        assert part in page
    assert "print_report" in page


@pytest.mark.parametrize("word", ["直播", "带货", "抖音"])
def test_the_knowledge_base_finds_a_chinese_lesson_by_a_word_inside(page_as, make_user, word):
    archived_review_with_lesson()

    page = page_as(make_user(Role.STAFF)).get(reverse("reviews:knowledge"), {"q": word}).content.decode()

    assert f"<mark>{word}</mark>" in page


def test_a_lesson_of_a_review_not_archived_is_not_in_the_knowledge_base(page_as, make_user):
    review = form4_review()
    lesson_save(review=review, data=LessonInput(kind=LessonKind.AVOID, text="抖音直播带货"))

    page = page_as(make_user(Role.STAFF)).get(reverse("reviews:knowledge"), {"q": "直播"}).content.decode()

    assert "<mark>" not in page


def test_a_word_not_in_the_lesson_finds_nothing(page_as, make_user):
    archived_review_with_lesson()

    page = page_as(make_user(Role.STAFF)).get(reverse("reviews:knowledge"), {"q": "库存"}).content.decode()

    assert "No lesson matches" in page


def test_the_lessons_panel_shows_lessons_of_the_same_type(page_as, make_user):
    review = archived_review_with_lesson()
    client = page_as(make_user(Role.MARKETING_MANAGER))

    same = client.get(reverse("reviews:lessons_panel"), {"type": review.campaign.type}).content.decode()
    other = client.get(reverse("reviews:lessons_panel"), {"type": "regional"}).content.decode()

    assert "抖音直播带货" in same
    assert "抖音直播带货" not in other


def test_a_follow_up_action_is_on_my_tasks_and_done_in_one_tap(page_as, make_user):
    owner = make_user(Role.STAFF)
    review = form4_review()
    action = action_save(
        review=review, data=ActionInput(action="提前15天完成库存盘点", owner=owner, due_date=date(2026, 7, 1))
    )
    client = page_as(owner)

    page = client.get(reverse("tasks:my_tasks")).content.decode()
    assert "提前15天完成库存盘点" in page
    assert "overdue" in page

    client.post(reverse("reviews:action_done", args=[action.pk]), {"note": "已完成"})
    action.refresh_from_db()
    assert (action.state, action.done_note) == ("done", "已完成")


def test_someone_else_cannot_mark_an_action_done(page_as, make_user):
    review = form4_review()
    action = action_save(review=review, data=ActionInput(action="x", owner=UserFactory(), due_date=date(2026, 7, 1)))

    response = page_as(make_user(Role.STAFF)).post(reverse("reviews:action_done", args=[action.pk]))

    assert response.status_code == 403
    assert FollowUpAction.objects.get().state == "open"
