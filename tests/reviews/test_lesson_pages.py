"""Changing and deleting a lesson from the review page: the campaign's owner and marketing
managers (administrators too) while the review is a draft, as the API allows; everyone else,
and everyone once the review is final, gets a 403; bad input names the field and saves nothing."""

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Role
from reviews.models import Lesson, LessonKind
from reviews.search import Filters, search
from reviews.services.lessons import LessonInput, lesson_save
from reviews.services.reviews import review_archive, review_finalise
from tests.factories import channel
from tests.factories.plans import metric
from tests.factories.reviews import NOT_REVIEW_WRITERS, REVIEW_WRITERS, form4_review

pytestmark = pytest.mark.django_db


def _lesson(review, text="小红书种草笔记转化好", **fields):
    data = LessonInput(kind=LessonKind.WORKED, text=text, tags="种草", channels=[channel("social")], **fields)
    return lesson_save(review=review, data=data)


def _posted(**fields):
    data = {
        "kind": LessonKind.AVOID,
        "text": "抖音直播带货：主播准备不足",
        "tags": "直播, 抖音",
        "stage": "执行",
        "channels": [channel("short_video").pk],
        "metrics": [metric("units_sold").pk],
    }
    return {**data, **fields}


@pytest.mark.parametrize("who", REVIEW_WRITERS)
def test_writers_see_the_lessons_form_filled_in(review_page_as, who):
    review = form4_review()
    lesson = _lesson(review, stage="预热")
    client = review_page_as(who, review)

    detail = client.get(review.get_absolute_url()).content.decode()
    form = client.get(reverse("reviews:lesson_edit", args=[lesson.pk]))

    assert reverse("reviews:lesson_edit", args=[lesson.pk]) in detail
    assert reverse("reviews:lesson_delete", args=[lesson.pk]) in detail
    assert form.status_code == 200
    assert form.context["form"].initial["text"] == "小红书种草笔记转化好"
    assert form.context["form"].initial["stage"] == "预热"
    assert form.context["form"].initial["channels"] == [channel("social")]


@pytest.mark.parametrize("who", REVIEW_WRITERS)
def test_writers_change_a_lesson(review_page_as, who):
    review = form4_review()
    lesson = _lesson(review)

    response = review_page_as(who, review).post(reverse("reviews:lesson_edit", args=[lesson.pk]), _posted())

    assert response.status_code == 302
    lesson = Lesson.objects.get(pk=lesson.pk)
    assert (lesson.kind, lesson.text, lesson.tags, lesson.stage) == (
        LessonKind.AVOID,
        "抖音直播带货：主播准备不足",
        "直播, 抖音",
        "执行",
    )
    assert list(lesson.channels.all()) == [channel("short_video")]
    assert list(lesson.metrics.all()) == [metric("units_sold")]


@pytest.mark.parametrize("who", REVIEW_WRITERS)
def test_writers_delete_a_lesson_after_confirming(review_page_as, who):
    review = form4_review()
    lesson = _lesson(review)
    client = review_page_as(who, review)
    address = reverse("reviews:lesson_delete", args=[lesson.pk])

    asked = client.get(address)
    assert asked.status_code == 200
    assert Lesson.objects.filter(pk=lesson.pk).exists()  # asking deletes nothing

    assert client.post(address).status_code == 302
    assert not Lesson.objects.filter(pk=lesson.pk).exists()


@pytest.mark.parametrize("who", NOT_REVIEW_WRITERS)
def test_others_may_neither_change_nor_delete_a_lesson(review_page_as, who):
    review = form4_review()
    lesson = _lesson(review)
    client = review_page_as(who, review)

    detail = client.get(review.get_absolute_url()).content.decode()
    answers = [
        client.get(reverse("reviews:lesson_edit", args=[lesson.pk])),
        client.post(reverse("reviews:lesson_edit", args=[lesson.pk]), _posted()),
        client.get(reverse("reviews:lesson_delete", args=[lesson.pk])),
        client.post(reverse("reviews:lesson_delete", args=[lesson.pk])),
    ]

    assert reverse("reviews:lesson_edit", args=[lesson.pk]) not in detail
    assert [answer.status_code for answer in answers] == [403] * 4
    assert Lesson.objects.get(pk=lesson.pk).text == "小红书种草笔记转化好"


@pytest.mark.parametrize("archive", [False, True])
def test_once_final_a_lesson_is_set_as_the_api_refuses_it(page_as, make_user, archive):
    review = form4_review()
    lesson = _lesson(review)
    review_finalise(review=review, by=review.campaign.owner)
    if archive:
        review_archive(review=review, by=review.campaign.owner)
    client = page_as(make_user(Role.MARKETING_MANAGER))

    detail = client.get(review.get_absolute_url()).content.decode()
    answers = [
        client.post(reverse("reviews:lesson_edit", args=[lesson.pk]), _posted()),
        client.post(reverse("reviews:lesson_delete", args=[lesson.pk])),
    ]

    assert reverse("reviews:lesson_edit", args=[lesson.pk]) not in detail
    assert [answer.status_code for answer in answers] == [403, 403]
    assert Lesson.objects.get(pk=lesson.pk).text == "小红书种草笔记转化好"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "   "),
        ("kind", "maybe"),
        ("tags", "x" * 301),
        ("stage", "x" * 151),
        ("channels", ["999999"]),
        ("channels", ["١"]),
        ("metrics", ["not-an-id"]),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(page_as, make_user, field, value):
    review = form4_review()
    lesson = _lesson(review)

    response = page_as(make_user(Role.MARKETING_MANAGER)).post(
        reverse("reviews:lesson_edit", args=[lesson.pk]), _posted(**{field: value})
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    lesson = Lesson.objects.get(pk=lesson.pk)
    assert (lesson.kind, lesson.text) == (LessonKind.WORKED, "小红书种草笔记转化好")
    assert list(lesson.channels.all()) == [channel("social")]


def test_the_knowledge_base_finds_the_changed_text_not_the_old_one(page_as, make_user):
    review = form4_review()
    lesson = _lesson(review)
    client = page_as(make_user(Role.MARKETING_MANAGER))
    client.post(reverse("reviews:lesson_edit", args=[lesson.pk]), _posted())
    review_finalise(review=review, by=review.campaign.owner)
    review_archive(review=review, by=review.campaign.owner)

    assert [found.pk for found in search(query="直播").lessons] == [lesson.pk]
    assert search(query="种草").lessons == []
    assert [found.pk for found in search(query="", filters=Filters(channel=channel("short_video").pk)).lessons] == [
        lesson.pk
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector column is PostgreSQL's")
def test_the_search_vector_follows_the_page(page_as, make_user):
    review = form4_review()
    lesson = _lesson(review)
    page_as(make_user(Role.MARKETING_MANAGER)).post(reverse("reviews:lesson_edit", args=[lesson.pk]), _posted())

    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM reviews_lesson WHERE id = %s", [lesson.pk])
        vector = cursor.fetchone()[0]

    assert "直播" in vector
    assert "种草" not in vector


def test_the_lesson_form_runs_fixed_queries(page_as, make_user, count_queries):
    review = form4_review()
    few = _lesson(review)
    many = lesson_save(
        review=review,
        data=LessonInput(
            kind=LessonKind.WORKED,
            text="多渠道",
            channels=[channel(code) for code in ("social", "short_video", "ecommerce", "stores")],
            metrics=[metric("units_sold"), metric("new_members")],
        ),
    )
    client = page_as(make_user(Role.MARKETING_MANAGER))

    assert count_queries(lambda: client.get(reverse("reviews:lesson_edit", args=[few.pk]))) == count_queries(
        lambda: client.get(reverse("reviews:lesson_edit", args=[many.pk]))
    )
