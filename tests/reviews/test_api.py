"""The reviews API: lists with flat query counts, the figures computed, follow-up actions
marked done by their owner only, and the knowledge base's search."""

from datetime import date

import pytest

from accounts.models import Role
from reviews.models import LessonKind
from reviews.services.actions import ActionInput, action_save
from reviews.services.lessons import LessonInput, lesson_save
from reviews.services.reviews import review_archive, review_finalise
from tests.api import NOT_MANAGERS, results, url
from tests.factories import UserFactory
from tests.factories.reviews import form4_review

pytestmark = pytest.mark.django_db

LISTS = ["review-list", "review-line-list", "lesson-list", "follow-up-action-list"]


def _fill(n: int):
    for _ in range(n):
        review = form4_review()
        lesson_save(review=review, data=LessonInput(kind=LessonKind.WORKED, text="抖音直播带货"))
        action_save(review=review, data=ActionInput(action="x", owner=review.campaign.owner, due_date=date(2026, 7, 9)))


@pytest.mark.parametrize("name", [*LISTS, "knowledge-list"])
def test_anonymous_requests_get_401(api_client, name):
    assert api_client.get(url(name)).status_code == 401


@pytest.mark.parametrize("name", LISTS)
def test_lists_run_the_same_queries_for_1_and_3_reviews(client_as, count_queries, name):
    client = client_as(Role.VIEWER)
    _fill(1)
    small = count_queries(lambda: client.get(url(name)))
    _fill(2)
    large = count_queries(lambda: client.get(url(name)))

    assert small == large


def test_lines_carry_the_computed_figures(client_as):
    review = form4_review()

    rows = results(client_as(Role.VIEWER).get(url("review-line-list"), {"review": review.pk, "metric": "exposure"}))

    assert [(row["target_value"], row["actual"], row["met"]) for row in rows] == [
        ("5000000.0000", "6200000.0000", True)
    ]
    assert rows[0]["attainment"] == "124.0"


def test_the_owner_marks_an_action_done(client_as):
    owner = UserFactory()
    action = action_save(review=form4_review(), data=ActionInput(action="x", owner=owner, due_date=date(2026, 7, 9)))

    response = client_as(owner).post(url("follow-up-action-done", action.pk), {"note": "好"}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["done_note"]) == ("done", "好")


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_others_cannot_mark_an_action_done(client_as, who):
    action = action_save(
        review=form4_review(), data=ActionInput(action="x", owner=UserFactory(), due_date=date(2026, 7, 9))
    )

    response = client_as(who).post(url("follow-up-action-done", action.pk), {}, format="json")

    assert response.status_code == 403


def test_the_knowledge_search_finds_a_lesson_by_a_word_inside(client_as):
    review = form4_review()
    lesson_save(review=review, data=LessonInput(kind=LessonKind.WORKED, text="抖音直播带货效果好"))
    review_finalise(review=review, by=review.campaign.owner)
    review_archive(review=review, by=review.campaign.owner)

    answer = client_as(Role.VIEWER).get(url("knowledge-list"), {"q": "带货"}).json()

    assert answer["words"] == ["带货"]
    assert [lesson["text"] for lesson in answer["lessons"]] == ["抖音直播带货效果好"]


def test_a_bad_year_is_a_400(client_as):
    assert client_as(Role.VIEWER).get(url("knowledge-list"), {"year": "x"}).status_code == 400
