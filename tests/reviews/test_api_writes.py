"""The reviews API's writes: the same people as the pages (the campaign's owner, marketing
managers and administrators edit a draft; executives comment; everyone else reads), through
the same services; a line's figures are never written; nothing changes once a review is final."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from accounts.models import Role
from reviews.models import ActionState, Lesson, LessonKind, ReviewComment, ReviewLine, ReviewState
from reviews.services.actions import ActionInput, action_save
from reviews.services.lessons import LessonInput, lesson_save
from reviews.services.reviews import LineInput, review_archive, review_finalise, review_line_save
from tests.api import NOT_MANAGERS, results, url
from tests.factories import UserFactory
from tests.factories.plans import TargetFactory, metric, record_value
from tests.factories.reviews import form4_review

pytestmark = pytest.mark.django_db

WRITERS = ["admin", Role.MARKETING_MANAGER, "owner"]
COMPUTED = ["target_value", "original_target", "actual", "attainment", "original_attainment", "met", "direction"]


def _client(client_as, who, review):
    return client_as(review.campaign.owner if who == "owner" else who)


def _reach_goal(review):
    """A goal set after the review opened: a manager adds its line."""
    goal = TargetFactory(campaign=review.campaign, metric=metric("reach"), target_value=Decimal("1000"), sort_order=20)
    record_value(review.campaign, code="reach", on=date(2026, 6, 15), value="800")
    return goal


def _added_line(review):
    _reach_goal(review)
    return review_line_save(review=review, data=LineInput(dimension="reach", metric=metric("reach")))


def _final(review):
    return review_finalise(review=review, by=review.campaign.owner)


# The review: meeting, participants, the report's four parts; finalise, archive, comment ------


@pytest.mark.parametrize("who", WRITERS)
def test_writers_change_the_meeting_and_the_report(client_as, who):
    review = form4_review()
    person = UserFactory()
    body = {
        "meeting_date": "2026-07-02",
        "participants": [person.pk],
        "overview": "销量接近目标",
        "conclusion": "整体可控",
        "what_worked": "直播引流",
        "shortfalls": "缺货",
    }

    response = _client(client_as, who, review).patch(url("review-detail", review.pk), body, format="json")

    assert response.status_code == 200, response.content
    assert {name: response.json()[name] for name in body} == body
    review.refresh_from_db()
    assert (review.meeting_date, list(review.participants.all())) == (date(2026, 7, 2), [person])
    assert "直播" in review.search_text  # reindexed by the service


def test_a_patch_keeps_what_it_does_not_send(client_as):
    review = form4_review(name="六月")
    client = client_as(Role.MARKETING_MANAGER)
    client.patch(url("review-detail", review.pk), {"overview": "a", "participants": [UserFactory().pk]}, format="json")

    response = client.patch(url("review-detail", review.pk), {"what_worked": "b"}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["overview"], response.json()["what_worked"]) == ("a", "b")
    assert len(response.json()["participants"]) == 1


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_others_cannot_change_a_review(client_as, who):
    review = form4_review()

    response = client_as(who).patch(url("review-detail", review.pk), {"overview": "x"}, format="json")

    assert response.status_code == 403
    review.refresh_from_db()
    assert review.overview == ""


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("meeting_date", "0001-01-01"),
        ("meeting_date", "9999-12-31"),
        ("participants", [10**20]),
        ("participants", ["x"]),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client_as, field, value):
    review = form4_review()

    response = client_as(Role.MARKETING_MANAGER).patch(url("review-detail", review.pk), {field: value}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()


def test_state_is_not_written_by_a_patch(client_as):
    review = form4_review()

    response = client_as(Role.MARKETING_MANAGER).patch(
        url("review-detail", review.pk), {"state": "final"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["state"] == "draft"


@pytest.mark.parametrize("who", WRITERS)
def test_writers_finalise_then_archive(client_as, who):
    review = form4_review()
    client = _client(client_as, who, review)

    final = client.post(url("review-finalise", review.pk), format="json")
    archived = client.post(url("review-archive", review.pk), format="json")

    assert (final.status_code, final.json()["state"]) == (200, "final"), final.content
    assert (archived.status_code, archived.json()["state"]) == (200, "archived"), archived.content
    assert ReviewLine.objects.get(review=review, metric__code="exposure").attainment == Decimal("124.0")


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_others_cannot_finalise_or_archive(client_as, who):
    review = form4_review()
    client = client_as(who)

    assert client.post(url("review-finalise", review.pk), format="json").status_code == 403
    _final(review)
    assert client.post(url("review-archive", review.pk), format="json").status_code == 403
    review.refresh_from_db()
    assert review.state == ReviewState.FINAL


def test_a_draft_is_not_archived_and_a_final_one_not_finalised_again(client_as):
    review = form4_review()
    client = client_as(Role.MARKETING_MANAGER)

    draft = client.post(url("review-archive", review.pk), format="json")
    _final(review)
    again = client.post(url("review-finalise", review.pk), format="json")

    assert draft.status_code == 403
    assert "finalise it first" in draft.json()["detail"]
    assert again.status_code == 403
    assert "final" in again.json()["detail"]


@pytest.mark.parametrize("who", [Role.EXECUTIVE, *WRITERS])
def test_executives_and_writers_comment_in_any_state(client_as, who):
    review = form4_review()
    _final(review)

    response = _client(client_as, who, review).post(url("review-comment", review.pk), {"text": "好"}, format="json")

    assert response.status_code == 201, response.content
    assert ReviewComment.objects.get(review=review).text == "好"


@pytest.mark.parametrize("who", [Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER, "token"])
def test_others_cannot_comment(client_as, who):
    review = form4_review()

    assert client_as(who).post(url("review-comment", review.pk), {"text": "x"}, format="json").status_code == 403
    assert not ReviewComment.objects.exists()


def test_an_empty_comment_is_a_400(client_as):
    review = form4_review()

    response = client_as(Role.EXECUTIVE).post(url("review-comment", review.pk), {"text": "  "}, format="json")

    assert response.status_code == 400
    assert "text" in response.json()


# Lines: a manager's own, analysis and suggestion; figures never written ---------------------


@pytest.mark.parametrize("who", WRITERS)
def test_writers_add_a_line_on_a_goal_of_the_campaign(client_as, who):
    review = form4_review()
    _reach_goal(review)
    body = {"review": review.pk, "metric": "reach", "dimension": "other", "dimension_label": "触达", "analysis": "a"}

    response = _client(client_as, who, review).post(url("review-line-list"), body, format="json")

    assert response.status_code == 201, response.content
    row = response.json()
    assert (row["metric"], row["dimension_name"], row["added"]) == ("reach", "触达", True)
    assert (row["target_value"], row["actual"], row["attainment"], row["met"]) == (
        "1000.0000",
        "800.0000",
        "80.0",
        False,
    )


def test_a_line_needs_a_goal_on_its_metric(client_as):
    review = form4_review()
    body = {"review": review.pk, "metric": "ctr", "dimension": "other"}

    response = client_as(Role.MARKETING_MANAGER).post(url("review-line-list"), body, format="json")

    assert response.status_code == 400
    assert "metric" in response.json()


def test_a_goal_has_one_line(client_as):
    review = form4_review()
    body = {"review": review.pk, "metric": "exposure", "dimension": "reach"}

    response = client_as(Role.MARKETING_MANAGER).post(url("review-line-list"), body, format="json")

    assert response.status_code == 400
    assert "already has its line" in str(response.json()["metric"])


@pytest.mark.parametrize("who", WRITERS)
def test_writers_write_a_lines_analysis_and_suggestion(client_as, who):
    review = form4_review()
    line = review.lines.get(metric__code="units_sold")
    body = {"analysis": "线下缺货", "suggestion": "提前备货", "dimension": "sales"}

    response = _client(client_as, who, review).patch(url("review-line-detail", line.pk), body, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["analysis"], response.json()["suggestion"]) == ("线下缺货", "提前备货")
    assert response.json()["attainment"] == "96.0"


@pytest.mark.parametrize("field", COMPUTED)
def test_a_computed_figure_is_a_400_naming_it(client_as, field):
    review = form4_review()
    line = review.lines.get(metric__code="units_sold")
    client = client_as(Role.MARKETING_MANAGER)

    update = client.patch(url("review-line-detail", line.pk), {field: "100", "analysis": "x"}, format="json")
    _reach_goal(review)
    create = client.post(
        url("review-line-list"),
        {"review": review.pk, "metric": "reach", "dimension": "reach", field: "1"},
        format="json",
    )

    assert (update.status_code, create.status_code) == (400, 400), (update.content, create.content)
    assert field in update.json()
    assert field in create.json()
    line.refresh_from_db()
    assert (line.analysis, line.attainment, review.lines.count()) == ("", None, 4 + 1)


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_others_cannot_write_lines(client_as, who):
    review = form4_review()
    line = _added_line(review)
    client = client_as(who)

    update = client.patch(url("review-line-detail", line.pk), {"analysis": "x"}, format="json")
    delete = client.delete(url("review-line-detail", line.pk))
    create = client.post(url("review-line-list"), {"review": review.pk, "metric": "exposure", "dimension": "reach"})

    assert (update.status_code, delete.status_code, create.status_code) == (403, 403, 403)
    line.refresh_from_db()
    assert line.analysis == ""


@pytest.mark.parametrize("who", WRITERS)
def test_writers_delete_a_line_they_added_but_not_a_goals_line(client_as, who):
    review = form4_review()
    added = _added_line(review)
    goal_line = review.lines.get(metric__code="units_sold")
    client = _client(client_as, who, review)

    kept = client.delete(url("review-line-detail", goal_line.pk))
    gone = client.delete(url("review-line-detail", added.pk))

    assert kept.status_code == 400
    assert "line" in kept.json()
    assert gone.status_code == 204
    assert not ReviewLine.objects.filter(pk=added.pk).exists()
    assert ReviewLine.objects.filter(pk=goal_line.pk).exists()


def test_a_final_reviews_lines_are_refused_with_a_reason(client_as):
    review = form4_review()
    line = _added_line(review)
    _final(review)
    client = client_as(Role.MARKETING_MANAGER)

    answers = [
        client.patch(url("review-line-detail", line.pk), {"analysis": "x"}, format="json"),
        client.delete(url("review-line-detail", line.pk)),
        client.post(url("review-line-list"), {"review": review.pk, "metric": "reach", "dimension": "reach"}),
        client.patch(url("review-detail", review.pk), {"overview": "x"}, format="json"),
    ]

    assert [answer.status_code for answer in answers] == [403] * 4
    assert all("final" in answer.json()["detail"] for answer in answers)
    assert ReviewLine.objects.filter(pk=line.pk, analysis="").exists()


# Follow-up actions ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", WRITERS)
def test_writers_add_and_change_follow_up_actions(client_as, who):
    review = form4_review()
    owner = UserFactory()
    client = _client(client_as, who, review)

    created = client.post(
        url("follow-up-action-list"),
        {"review": review.pk, "action": "提前15天盘点库存", "owner": owner.pk, "due_date": "2026-08-01"},
        format="json",
    )
    changed = client.patch(
        url("follow-up-action-detail", created.json()["id"]), {"due_date": "2026-08-05"}, format="json"
    )

    assert created.status_code == 201, created.content
    assert changed.status_code == 200, changed.content
    assert (changed.json()["action"], changed.json()["owner"], changed.json()["due_date"]) == (
        "提前15天盘点库存",
        owner.pk,
        "2026-08-05",
    )
    assert "盘点" in review.__class__.objects.get(pk=review.pk).search_text


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_others_cannot_add_or_change_actions(client_as, who):
    review = form4_review()
    item = action_save(review=review, data=ActionInput(action="x", owner=UserFactory(), due_date=date(2026, 7, 9)))
    client = client_as(who)

    create = client.post(
        url("follow-up-action-list"),
        {"review": review.pk, "action": "y", "owner": client.user.pk, "due_date": "2026-08-01"},
        format="json",
    )
    change = client.patch(url("follow-up-action-detail", item.pk), {"action": "z"}, format="json")

    assert (create.status_code, change.status_code) == (403, 403)


def test_an_actions_owner_marks_it_done_but_does_not_rewrite_it(client_as):
    owner = UserFactory()
    item = action_save(review=form4_review(), data=ActionInput(action="x", owner=owner, due_date=date(2026, 7, 9)))
    client = client_as(owner)

    change = client.patch(url("follow-up-action-detail", item.pk), {"action": "z"}, format="json")
    done = client.post(url("follow-up-action-done", item.pk), {"note": "已完成"}, format="json")

    assert change.status_code == 403
    assert (done.status_code, done.json()["state"], done.json()["done_note"]) == (200, ActionState.DONE, "已完成")


@pytest.mark.parametrize(
    ("field", "value"),
    [("due_date", "9999-12-31"), ("due_date", "0001-01-01"), ("owner", 10**20), ("owner", "١٢"), ("action", " ")],
)
def test_a_bad_action_is_a_400_naming_the_field(client_as, field, value):
    review = form4_review()
    body = {"review": review.pk, "action": "x", "owner": review.campaign.owner.pk, "due_date": "2026-08-01"}

    response = client_as(Role.MARKETING_MANAGER).post(
        url("follow-up-action-list"), {**body, field: value}, format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()


def test_an_inactive_owner_is_refused(client_as):
    review = form4_review()
    gone = UserFactory(is_active=False)
    body = {"review": review.pk, "action": "x", "owner": gone.pk, "due_date": "2026-08-01"}

    response = client_as(Role.MARKETING_MANAGER).post(url("follow-up-action-list"), body, format="json")

    assert response.status_code == 400
    assert "owner" in response.json()


# Lessons ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", WRITERS)
def test_writers_add_change_and_delete_lessons(client_as, who):
    review = form4_review()
    client = _client(client_as, who, review)
    body = {
        "review": review.pk,
        "kind": "avoid",
        "text": "KOL视频晚两天上线",
        "tags": "KOL,brief",
        "stage": "预热",
        "channels": ["short_video"],
        "metrics": ["exposure"],
    }

    created = client.post(url("lesson-list"), body, format="json")
    changed = client.patch(url("lesson-detail", created.json()["id"]), {"channels": ["social"]}, format="json")
    deleted = client.delete(url("lesson-detail", created.json()["id"]))

    assert created.status_code == 201, created.content
    row = created.json()
    assert (row["campaign_type"], row["channels"], row["metrics"], row["stage"]) == (
        review.campaign.type,
        ["short_video"],
        ["exposure"],
        "预热",
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["text"], changed.json()["channels"], changed.json()["tags"]) == (
        "KOL视频晚两天上线",
        ["social"],
        "KOL,brief",
    )
    assert deleted.status_code == 204
    assert not Lesson.objects.exists()


def test_a_lessons_search_text_follows_its_text(client_as):
    review = form4_review()
    lesson = lesson_save(review=review, data=LessonInput(kind=LessonKind.WORKED, text="图文"))

    client_as(Role.MARKETING_MANAGER).patch(url("lesson-detail", lesson.pk), {"text": "抖音直播带货"}, format="json")

    lesson.refresh_from_db()
    assert "直播" in lesson.search_text.split()


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_others_cannot_write_lessons(client_as, who):
    review = form4_review()
    lesson = lesson_save(review=review, data=LessonInput(kind=LessonKind.WORKED, text="x"))
    client = client_as(who)

    create = client.post(url("lesson-list"), {"review": review.pk, "kind": "worked", "text": "y"}, format="json")
    change = client.patch(url("lesson-detail", lesson.pk), {"text": "z"}, format="json")
    delete = client.delete(url("lesson-detail", lesson.pk))

    assert (create.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert Lesson.objects.get().text == "x"


@pytest.mark.parametrize(
    ("field", "value"), [("kind", "maybe"), ("text", " "), ("channels", ["nowhere"]), ("metrics", ["nothing"])]
)
def test_a_bad_lesson_is_a_400_naming_the_field(client_as, field, value):
    review = form4_review()
    body = {"review": review.pk, "kind": "worked", "text": "x"}

    response = client_as(Role.MARKETING_MANAGER).post(url("lesson-list"), {**body, field: value}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Lesson.objects.exists()


def test_a_final_reviews_lessons_and_actions_are_refused(client_as):
    review = form4_review()
    lesson = lesson_save(review=review, data=LessonInput(kind=LessonKind.WORKED, text="x"))
    _final(review)
    client = client_as(Role.MARKETING_MANAGER)

    answers = [
        client.post(url("lesson-list"), {"review": review.pk, "kind": "worked", "text": "y"}, format="json"),
        client.patch(url("lesson-detail", lesson.pk), {"text": "z"}, format="json"),
        client.delete(url("lesson-detail", lesson.pk)),
        client.post(
            url("follow-up-action-list"),
            {"review": review.pk, "action": "y", "owner": client.user.pk, "due_date": "2026-08-01"},
            format="json",
        ),
    ]

    assert [answer.status_code for answer in answers] == [403] * 4
    assert all("final" in answer.json()["detail"] for answer in answers)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector column is PostgreSQL's")
def test_a_lesson_written_through_the_api_is_found_by_the_knowledge_search(client_as):
    review = form4_review()
    client = client_as(Role.MARKETING_MANAGER)
    created = client.post(
        url("lesson-list"), {"review": review.pk, "kind": "worked", "text": "小红书种草笔记"}, format="json"
    )
    client.patch(url("lesson-detail", created.json()["id"]), {"text": "抖音直播带货效果好"}, format="json")
    review_finalise(review=review, by=client.user)
    review_archive(review=review, by=client.user)

    found = client.get(url("knowledge-list"), {"q": "直播"}).json()
    stale = client.get(url("knowledge-list"), {"q": "种草"}).json()

    assert [lesson["id"] for lesson in found["lessons"]] == [created.json()["id"]]
    assert stale["lessons"] == []


# Lists: filters, updated_after, flat query counts ------------------------------------------


def test_lists_filter_by_review_and_updated_after(client_as):
    first, second = form4_review(), form4_review()
    lesson_save(review=second, data=LessonInput(kind=LessonKind.AVOID, text="x", tags="库存"))
    client = client_as(Role.VIEWER)
    later = "2999-01-01T00:00:00Z"

    assert {row["review"] for row in results(client.get(url("review-line-list"), {"review": first.pk}))} == {first.pk}
    assert results(client.get(url("review-line-list"), {"updated_after": later})) == []
    assert [row["tags"] for row in results(client.get(url("lesson-list"), {"tag": "库存"}))] == ["库存"]
    assert results(client.get(url("review-list"), {"updated_after": later})) == []
    assert client.get(url("review-list"), {"updated_after": "yesterday"}).status_code == 400


def test_the_review_list_runs_the_same_queries_with_participants(client_as, count_queries):
    client = client_as(Role.VIEWER)

    def fill(n):
        for _ in range(n):
            review = form4_review()
            review.participants.set([UserFactory(), UserFactory()])

    fill(1)
    small = count_queries(lambda: client.get(url("review-list")))
    fill(3)
    large = count_queries(lambda: client.get(url("review-list")))

    assert small == large


def test_a_conversion_rate_line_is_computed_from_orders_and_visitors(client_as):
    review = form4_review()
    TargetFactory(campaign=review.campaign, metric=metric("conversion_rate"), target_value=Decimal(3), sort_order=30)
    record_value(review.campaign, code="orders", on=date(2026, 6, 12), value="90")
    record_value(review.campaign, code="visitors", on=date(2026, 6, 12), value="3600")
    body = {"review": review.pk, "metric": "conversion_rate", "dimension": "sales", "analysis": "详情页转化偏低"}
    client = client_as(Role.MARKETING_MANAGER)

    created = client.post(url("review-line-list"), body, format="json")
    client.post(url("review-finalise", review.pk), format="json")
    frozen = client.get(url("review-line-detail", created.json()["id"])).json()

    # 90 orders of 3,600 visitors: 2.5% against 3%, 83.3%.
    assert created.status_code == 201, created.content
    assert (created.json()["actual"], created.json()["attainment"]) == ("2.5000", "83.3")
    assert (frozen["actual"], frozen["attainment"], frozen["met"]) == ("2.5000", "83.3", False)
