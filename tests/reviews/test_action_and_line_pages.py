"""Changing a follow-up action and deleting a line a manager added, from the review page: the
campaign's owner and marketing managers (administrators too) while the review is a draft, as
the API allows; a goal's own line stays; bad input names the field and saves nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from reviews.models import ActionState, FollowUpAction, ReviewLine
from reviews.services.actions import ActionInput, action_mark_done, action_save
from reviews.services.reviews import LineInput, review_finalise, review_line_save
from tests.factories.plans import TargetFactory, metric, record_value
from tests.factories.reviews import NOT_REVIEW_WRITERS, REVIEW_WRITERS, form4_review

pytestmark = pytest.mark.django_db


def _action(review):
    data = ActionInput(action="提前两周确定主播", owner=review.campaign.owner, due_date=date(2026, 7, 9))
    return action_save(review=review, data=data)


def _added_line(review):
    """A goal set after the review opened, whose line a manager adds."""
    TargetFactory(campaign=review.campaign, metric=metric("reach"), target_value=Decimal("1000"), sort_order=20)
    record_value(review.campaign, code="reach", on=date(2026, 6, 15), value="800")
    return review_line_save(review=review, data=LineInput(dimension="reach", metric=metric("reach")))


# Follow-up actions ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", REVIEW_WRITERS)
def test_writers_change_an_actions_text_owner_and_due_date(review_page_as, make_user, who):
    review = form4_review()
    action = _action(review)
    client = review_page_as(who, review)
    someone = make_user(Role.STAFF)
    address = reverse("reviews:action_edit", args=[action.pk])

    assert address in client.get(review.get_absolute_url()).content.decode()
    form = client.get(address).context["form"]
    assert (form.initial["action"], form.initial["owner"]) == ("提前两周确定主播", review.campaign.owner)
    response = client.post(address, {"action": "提前三周确定主播", "owner": someone.pk, "due_date": "2026-07-20"})

    assert response.status_code == 302
    action = FollowUpAction.objects.get(pk=action.pk)
    assert (action.action, action.owner, action.due_date) == ("提前三周确定主播", someone, date(2026, 7, 20))
    assert action.state == ActionState.OPEN


def test_changing_a_done_action_keeps_it_done(review_page_as):
    review = form4_review()
    action = _action(review)
    action_mark_done(action=action, by=review.campaign.owner, note="已完成")
    client = review_page_as("owner", review)

    client.post(
        reverse("reviews:action_edit", args=[action.pk]),
        {"action": "改写", "owner": review.campaign.owner.pk, "due_date": "2026-07-20"},
    )

    action = FollowUpAction.objects.get(pk=action.pk)
    assert (action.action, action.state, action.done_note) == ("改写", ActionState.DONE, "已完成")


@pytest.mark.parametrize("who", NOT_REVIEW_WRITERS)
def test_others_may_not_change_an_action(review_page_as, who):
    review = form4_review()
    action = _action(review)
    client = review_page_as(who, review)
    address = reverse("reviews:action_edit", args=[action.pk])

    assert address not in client.get(review.get_absolute_url()).content.decode()
    assert client.get(address).status_code == 403
    posted = client.post(address, {"action": "x", "owner": client.user.pk, "due_date": "2026-07-20"})

    assert posted.status_code == 403
    assert FollowUpAction.objects.get(pk=action.pk).action == "提前两周确定主播"


def test_the_actions_own_owner_marks_it_done_but_does_not_rewrite_it(page_as, make_user):
    review = form4_review()
    owner = make_user(Role.STAFF)
    action = action_save(review=review, data=ActionInput(action="a", owner=owner, due_date=date(2026, 7, 9)))
    client = page_as(owner)

    answer = client.post(
        reverse("reviews:action_edit", args=[action.pk]), {"action": "b", "owner": owner.pk, "due_date": "2026-07-20"}
    )
    client.post(reverse("reviews:action_done", args=[action.pk]), {"note": "ok"})

    assert answer.status_code == 403
    action = FollowUpAction.objects.get(pk=action.pk)
    assert (action.action, action.state) == ("a", ActionState.DONE)


def test_once_final_an_action_is_set_as_the_api_refuses_it(review_page_as):
    review = form4_review()
    action = _action(review)
    review_finalise(review=review, by=review.campaign.owner)
    client = review_page_as(Role.MARKETING_MANAGER, review)

    answer = client.post(
        reverse("reviews:action_edit", args=[action.pk]),
        {"action": "x", "owner": review.campaign.owner.pk, "due_date": "2026-07-20"},
    )

    assert answer.status_code == 403
    assert FollowUpAction.objects.get(pk=action.pk).action == "提前两周确定主播"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("action", "  "),
        ("owner", "999999"),
        ("owner", "١"),
        ("due_date", "0000-01-01"),
        ("due_date", "10000-01-01"),
        ("due_date", "2026-02-30"),
    ],
)
def test_a_bad_action_names_the_field_and_changes_nothing(review_page_as, field, value):
    review = form4_review()
    action = _action(review)
    data = {"action": "新的", "owner": review.campaign.owner.pk, "due_date": "2026-07-20", field: value}

    response = review_page_as(Role.MARKETING_MANAGER, review).post(
        reverse("reviews:action_edit", args=[action.pk]), data
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    action = FollowUpAction.objects.get(pk=action.pk)
    assert (action.action, action.due_date) == ("提前两周确定主播", date(2026, 7, 9))


def test_an_inactive_owner_is_refused_on_the_owner_field(review_page_as, make_user):
    review = form4_review()
    action = _action(review)
    gone = make_user(Role.STAFF, is_active=False)

    response = review_page_as(Role.MARKETING_MANAGER, review).post(
        reverse("reviews:action_edit", args=[action.pk]), {"action": "x", "owner": gone.pk, "due_date": "2026-07-20"}
    )

    assert "owner" in response.context["form"].errors
    assert FollowUpAction.objects.get(pk=action.pk).owner == review.campaign.owner


# Lines a manager added ----------------------------------------------------------------------


@pytest.mark.parametrize("who", REVIEW_WRITERS)
def test_writers_delete_a_line_they_added_after_confirming(review_page_as, who):
    review = form4_review()
    line = _added_line(review)
    client = review_page_as(who, review)
    address = reverse("reviews:line_delete", args=[line.pk])

    assert address in client.get(review.get_absolute_url()).content.decode()
    assert client.get(address).status_code == 200
    assert ReviewLine.objects.filter(pk=line.pk).exists()  # asking deletes nothing
    assert client.post(address).status_code == 302

    assert not ReviewLine.objects.filter(pk=line.pk).exists()


def test_a_goals_own_line_has_no_delete_button_and_its_post_is_refused(review_page_as):
    review = form4_review()
    goal_line = review.lines.get(metric__code="units_sold")
    client = review_page_as(Role.MARKETING_MANAGER, review)
    address = reverse("reviews:line_delete", args=[goal_line.pk])

    page = client.get(review.get_absolute_url()).content.decode()
    asked = client.get(address, follow=True)
    posted = client.post(address, follow=True)

    assert address not in page
    assert "stays" in asked.content.decode()
    assert "stays" in posted.content.decode()
    assert ReviewLine.objects.filter(pk=goal_line.pk).exists()


@pytest.mark.parametrize("who", NOT_REVIEW_WRITERS)
def test_others_may_not_delete_a_line(review_page_as, who):
    review = form4_review()
    line = _added_line(review)
    client = review_page_as(who, review)
    address = reverse("reviews:line_delete", args=[line.pk])

    assert address not in client.get(review.get_absolute_url()).content.decode()
    assert [client.get(address).status_code, client.post(address).status_code] == [403, 403]
    assert ReviewLine.objects.filter(pk=line.pk).exists()


def test_a_final_reviews_added_line_stays(review_page_as):
    review = form4_review()
    line = _added_line(review)
    review_finalise(review=review, by=review.campaign.owner)
    client = review_page_as(Role.MARKETING_MANAGER, review)

    assert reverse("reviews:line_delete", args=[line.pk]) not in client.get(review.get_absolute_url()).content.decode()
    assert client.post(reverse("reviews:line_delete", args=[line.pk])).status_code == 403
    assert ReviewLine.objects.filter(pk=line.pk).exists()


def test_the_edit_pages_run_fixed_queries(review_page_as, count_queries, make_user):
    small, large = form4_review(), form4_review()
    for n in range(4):
        make_user(Role.STAFF, username=f"extra{n}")
        _action(large)
    pages = [
        ("reviews:action_edit", _action(small), _action(large)),
        ("reviews:line_delete", _added_line(small), _added_line(large)),
    ]
    client = review_page_as(Role.MARKETING_MANAGER, small)

    for name, few, many in pages:
        assert count_queries(lambda n=name, pk=few.pk: client.get(reverse(n, args=[pk]))) == count_queries(
            lambda n=name, pk=many.pk: client.get(reverse(n, args=[pk]))
        )
