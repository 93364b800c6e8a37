"""The knowledge base's API search filters as its page does (campaign type, channel, metric,
tag, year: the page's form checks both), and a bad value is a 400 naming the parameter."""

import pytest
from django.urls import reverse

from accounts.models import Role
from reviews.models import LessonKind
from reviews.services.lessons import LessonInput, lesson_save
from reviews.services.reviews import review_archive, review_finalise
from tests.api import url
from tests.factories import channel
from tests.factories.plans import metric
from tests.factories.reviews import form4_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons():
    """Two archived lessons about live streaming: one on short video and sales, tagged 直播;
    one on social media and members, tagged 种草."""
    review = form4_review()
    live = lesson_save(
        review=review,
        data=LessonInput(
            kind=LessonKind.WORKED,
            text="抖音直播带货效果好",
            tags="直播,带货",
            channels=[channel("short_video")],
            metrics=[metric("units_sold")],
        ),
    )
    notes = lesson_save(
        review=review,
        data=LessonInput(
            kind=LessonKind.AVOID,
            text="小红书直播种草转化低",
            tags="种草",
            channels=[channel("social")],
            metrics=[metric("new_members")],
        ),
    )
    review_finalise(review=review, by=review.campaign.owner)
    review_archive(review=review, by=review.campaign.owner)
    return live, notes


def _found(client, **params):
    answer = client.get(url("knowledge-list"), {"q": "直播", **params})
    assert answer.status_code == 200, answer.content
    return sorted(lesson["id"] for lesson in answer.json()["lessons"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["live", "notes"]),
        ({"channel": "short_video"}, ["live"]),
        ({"channel": "social"}, ["notes"]),
        ({"channel": "stores"}, []),
        ({"metric": "units_sold"}, ["live"]),
        ({"metric": "new_members"}, ["notes"]),
        ({"tag": "种草"}, ["notes"]),
        ({"tag": " 带货 "}, ["live"]),
        ({"channel": "short_video", "tag": "种草"}, []),
        ({"year": "2026"}, ["live", "notes"]),
        ({"year": "2025"}, []),
    ],
)
def test_the_api_filters_by_channel_metric_and_tag(client_as, lessons, params, expected):
    named = dict(zip(["live", "notes"], lessons, strict=True))

    assert _found(client_as(Role.VIEWER), **params) == sorted(named[name].pk for name in expected)


def test_a_channel_and_a_metric_go_by_id_too(client_as, lessons):
    live, _notes = lessons
    client = client_as(Role.VIEWER)

    assert _found(client, channel=str(channel("short_video").pk)) == [live.pk]
    assert _found(client, metric=str(metric("units_sold").pk)) == [live.pk]


def test_the_api_finds_what_the_page_finds(client_as, page_as, lessons):
    params = {"q": "直播", "channel": str(channel("social").pk), "tag": "种草", "year": "2026"}

    page = page_as(Role.STAFF).get(reverse("reviews:knowledge"), params).context["results"]
    api = client_as(Role.STAFF).get(url("knowledge-list"), params).json()

    assert [lesson["id"] for lesson in api["lessons"]] == [lesson.pk for lesson in page.lessons]
    assert [review["id"] for review in api["reviews"]] == [review.pk for review in page.reviews]


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("channel", "nowhere"),
        ("channel", "99999999"),
        ("channel", "١"),
        ("channel", "a b"),
        ("channel", "9" * 30),
        ("metric", "no_such_metric"),
        ("metric", "0"),
        ("tag", "x" * 51),
        ("year", "1999"),
        ("year", "2101"),
        ("year", "٢٠٢٦"),
        ("campaign_type", "festival"),
        ("q", "直" * 201),
    ],
)
def test_a_bad_value_is_a_400_naming_the_parameter(client_as, param, value):
    answer = client_as(Role.VIEWER).get(url("knowledge-list"), {param: value})

    assert answer.status_code == 400
    assert list(answer.json()) == [param]


def test_the_schema_documents_the_filters(client_as):
    schema = client_as(Role.VIEWER).get(reverse("api:schema"), {"format": "json"}).json()

    parameters = schema["paths"]["/api/v1/knowledge/"]["get"]["parameters"]

    assert {"q", "campaign_type", "channel", "metric", "tag", "year"} <= {p["name"] for p in parameters}


def test_a_bad_filter_on_the_page_is_a_form_error_naming_it(page_as):
    response = page_as(Role.STAFF).get(reverse("reviews:knowledge"), {"q": "直播", "channel": "nowhere"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["channel"]
    assert response.context["results"] is None


def test_the_filtered_search_runs_fixed_queries(client_as, count_queries, lessons):
    client = client_as(Role.VIEWER)
    params = {"q": "直播", "channel": "short_video", "metric": "units_sold", "tag": "直播", "year": "2026"}
    small = count_queries(lambda: client.get(url("knowledge-list"), params))
    for _n in range(3):
        review = form4_review()
        for text in ("直播带货 a", "直播带货 b"):
            data = LessonInput(
                kind=LessonKind.WORKED,
                text=text,
                tags="直播",
                channels=[channel("short_video"), channel("social")],
                metrics=[metric("units_sold")],
            )
            lesson_save(review=review, data=data)
        review_finalise(review=review, by=review.campaign.owner)
        review_archive(review=review, by=review.campaign.owner)

    assert len(client.get(url("knowledge-list"), params).json()["lessons"]) == 7
    assert count_queries(lambda: client.get(url("knowledge-list"), params)) == small


@pytest.mark.parametrize(
    ("param", "value"), [("year", "2000"), ("year", "2100"), ("tag", "x" * 50), ("q", "直" * 200), ("channel", "")]
)
def test_values_at_the_limits_are_accepted(client_as, param, value):
    assert client_as(Role.VIEWER).get(url("knowledge-list"), {param: value}).status_code == 200
