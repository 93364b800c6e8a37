"""Lessons come to the planner: beside the new task form of a campaign and on its weekly
review page, the lessons of past campaigns of the same type and channels (the lessons panel
of the new-campaign form, fetched for that campaign), in a fixed number of queries."""

import pytest
from django.urls import reverse

from accounts.models import Role
from plans.models import CampaignType
from reviews.models import LessonKind
from reviews.services.lessons import LessonInput, lesson_save
from reviews.services.reviews import review_archive, review_finalise
from tests.factories import CampaignFactory, TargetFactory, channel
from tests.factories.reviews import form4_review

pytestmark = pytest.mark.django_db


def _archived(lessons: list[tuple[str, list]]):
    review = form4_review()
    for text, channels in lessons:
        lesson_save(review=review, data=LessonInput(kind=LessonKind.AVOID, text=text, tags="", channels=channels))
    review_finalise(review=review, by=review.campaign.owner)
    review_archive(review=review, by=review.campaign.owner)
    return review


def _panel(client, campaign):
    return client.get(reverse("reviews:lessons_panel"), {"campaign": campaign.pk})


def test_the_new_task_form_and_the_weekly_review_carry_the_panel_of_their_campaign(page_as, make_user):
    review = _archived([("KOL videos went live two days late", [])])
    campaign = CampaignFactory(type=review.campaign.type, plan=review.campaign.plan)
    client = page_as(make_user(Role.MARKETING_MANAGER))
    panel_url = reverse("reviews:lessons_panel") + f"?campaign={campaign.pk}"

    task_form = client.get(reverse("tasks:task_create", args=[campaign.pk])).content.decode()
    weekly = client.get(reverse("tracking:campaign_review", args=[campaign.pk])).content.decode()
    plan_weekly = client.get(reverse("tracking:plan_review", args=[campaign.plan_id])).content.decode()

    for page in (task_form, weekly):
        assert 'id="lessons-panel"' in page
        assert f'data-url="{panel_url}"' in page
        assert "js/lessons_panel" in page
    assert 'id="lessons-panel"' not in plan_weekly
    assert "KOL videos went live two days late" in _panel(client, campaign).content.decode()


def test_the_panel_of_a_campaign_shows_lessons_of_its_type_and_channels(page_as, make_user):
    online, offline = channel("online"), channel("offline")
    review = _archived(
        [
            ("Online: brief the anchors a week ahead", [online]),
            ("Offline: stores ran out of stock", [offline]),
            ("Any channel: approve the budget before kickoff", []),
        ]
    )
    campaign = CampaignFactory(type=review.campaign.type)
    TargetFactory(campaign=campaign, channel=online)
    other_type = CampaignFactory(type=CampaignType.REGIONAL_EXPANSION)
    client = page_as(make_user(Role.STAFF))

    panel = _panel(client, campaign).content.decode()
    elsewhere = _panel(client, other_type).content.decode()
    own = _panel(client, review.campaign).content.decode()

    assert "Online: brief the anchors" in panel
    assert "Any channel: approve the budget" in panel
    assert "Offline: stores ran out" not in panel
    assert "brief the anchors" not in elsewhere
    assert "brief the anchors" not in own  # a campaign's own lessons are not "past campaigns'"


def test_a_campaign_that_is_not_there_is_a_404_not_a_500(page_as, make_user):
    client = page_as(make_user(Role.STAFF))
    for value in ("999999", "9" * 30, "١٢", "x"):
        assert client.get(reverse("reviews:lessons_panel"), {"campaign": value}).status_code == 404


def test_the_panel_runs_the_same_queries_with_few_or_many_lessons(page_as, make_user, count_queries):
    online = channel("online")
    review = _archived([("one", [online])])
    campaign = CampaignFactory(type=review.campaign.type)
    TargetFactory(campaign=campaign, channel=online)
    client = page_as(make_user(Role.STAFF))
    few = count_queries(lambda: _panel(client, campaign))
    for n in range(30):
        lesson_save(review=review, data=LessonInput(kind=LessonKind.WORKED, text=f"lesson {n}", channels=[online]))
    assert count_queries(lambda: _panel(client, campaign)) == few


def test_a_goal_on_a_channel_meets_lessons_on_its_sub_channels_and_its_parent(page_as, make_user):
    online = channel("online")
    short_video = channel("short_video")  # a sub-channel of online
    review = _archived([("Short video: KOL briefs late", [short_video])])
    campaign = CampaignFactory(type=review.campaign.type)
    TargetFactory(campaign=campaign, channel=online)

    assert "KOL briefs late" in _panel(page_as(make_user(Role.STAFF)), campaign).content.decode()
