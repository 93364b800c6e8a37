"""Every new page runs the same number of queries whatever the number of lines, lessons,
actions and reviews."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Role
from reviews.models import LessonKind
from reviews.services.actions import ActionInput, action_save
from reviews.services.lessons import LessonInput, lesson_save
from reviews.services.reviews import review_archive, review_comment_add, review_finalise
from tests.factories import channel
from tests.factories.reviews import form4_review

pytestmark = pytest.mark.django_db


def _reviewed(lessons: int, *, archive: bool = True):
    review = form4_review()
    for n in range(lessons):
        lesson_save(
            review=review,
            data=LessonInput(kind=LessonKind.WORKED, text=f"抖音直播带货 {n}", channels=[channel("short_video")]),
        )
        action_save(
            review=review, data=ActionInput(action=f"行动 {n}", owner=review.campaign.owner, due_date=date(2026, 7, 9))
        )
        review_comment_add(review=review, author=review.campaign.owner, text=f"评论 {n}")
    if archive:
        review_finalise(review=review, by=review.campaign.owner)
        review_archive(review=review, by=review.campaign.owner)
    return review


@pytest.mark.parametrize("archive", [False, True])
def test_the_review_page_and_its_report_run_fixed_queries(page_as, count_queries, archive):
    client = page_as(Role.MARKETING_MANAGER)
    small, large = _reviewed(1, archive=archive), _reviewed(4, archive=archive)

    for name in ["reviews:review_detail", "reviews:review_report"]:
        assert count_queries(lambda n=name: client.get(reverse(n, args=[small.pk]))) == count_queries(
            lambda n=name: client.get(reverse(n, args=[large.pk]))
        )


@pytest.mark.parametrize(("name", "params"), [("reviews:review_list", {}), ("reviews:knowledge", {"q": "直播"})])
def test_lists_run_fixed_queries(page_as, count_queries, name, params):
    client = page_as(Role.STAFF)
    _reviewed(1)
    small = count_queries(lambda: client.get(reverse(name), params))
    _reviewed(3)
    _reviewed(2)
    large = count_queries(lambda: client.get(reverse(name), params))

    assert small == large


def test_my_tasks_with_follow_up_actions_runs_fixed_queries(page_as, count_queries, make_user):
    owner = make_user(Role.STAFF)
    client = page_as(owner)
    review = form4_review()
    action_save(review=review, data=ActionInput(action="a", owner=owner, due_date=date(2026, 7, 9)))
    small = count_queries(lambda: client.get(reverse("tasks:my_tasks")))
    for n in range(4):
        action_save(review=form4_review(), data=ActionInput(action=f"b{n}", owner=owner, due_date=date(2026, 7, 9)))
    large = count_queries(lambda: client.get(reverse("tasks:my_tasks")))

    assert small == large
