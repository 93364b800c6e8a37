"""The demo's finished campaign reproduces form 4's example from its recorded values, is
archived with a final review and found by the knowledge base; the launch campaign's deadlines
count working days."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.calendar import kickoff_deadline, review_deadline
from plans.demo import CAMPAIGN_NAME
from plans.models import Campaign, CampaignStatus
from reviews.demo import FINISHED_NAME
from reviews.models import Review, ReviewState
from reviews.reading import figure, whole_percent
from reviews.search import search_lessons
from reviews.selectors import review_detail

pytestmark = pytest.mark.django_db


def test_the_demo_review_is_form_4s_example_archived_and_found(client):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    review = Review.objects.get(campaign__name=FINISHED_NAME)
    lines = {line.metric.code: line.figures for line in review_detail(review_id=review.pk)["lines"]}
    assert (review.state, review.campaign.status) == (ReviewState.ARCHIVED, CampaignStatus.ARCHIVED)
    assert {code: whole_percent(f.attainment) for code, f in lines.items()} == {
        "units_sold": "96%",
        "new_members": "120%",
        "exposure": "124%",
        "marketing_cost": "107%",
        "roi": "84%",
    }
    assert lines["marketing_cost"].met is False
    assert (figure(lines["roi"].target, "ratio"), figure(lines["roi"].actual, "ratio")) == (
        "1:5 (500%)",
        "1:4.2 (420%)",
    )
    _words, found = search_lessons(query="直播")
    assert any("抖音直播带货" in lesson.text for lesson in found)
    client.force_login(review.campaign.owner)
    assert "<mark>直播</mark>" in client.get(reverse("reviews:knowledge"), {"q": "直播"}).content.decode()


def test_the_launch_campaign_started_and_its_deadlines_count_working_days():
    call_command("seed_demo", stdout=StringIO())

    launch = Campaign.objects.get(name=CAMPAIGN_NAME)

    assert launch.status == CampaignStatus.EXECUTING
    assert kickoff_deadline(launch) > launch.start_date
    assert review_deadline(launch) > launch.end_date
