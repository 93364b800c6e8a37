"""Every place a request gives a row's id reads it one way (core.ids): "²", "١", "abc" or a
number past the database's key is a clear 400 naming the parameter, never a server error,
and nothing is saved."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from core.ids import MAX_ID
from plans.models import MetricValue
from tasks.models import Stage
from tests.api import url
from tests.factories import CampaignFactory, MetricValueFactory, StageFactory, TargetFactory, TaskFactory

pytestmark = pytest.mark.django_db

SUPERSCRIPT_TWO, SUPERSCRIPT_ONE, ARABIC_ONE = "²", "¹", "١"
PAST_THE_KEY = str(MAX_ID + 1)


@pytest.fixture
def campaign():
    """A campaign with a value and a goal, so that a filter read wrongly has rows to return."""
    campaign = CampaignFactory()
    MetricValueFactory(campaign=campaign)
    TargetFactory(campaign=campaign)
    return campaign


API_FILTERS = [
    ("metric-value-list", "metric", SUPERSCRIPT_TWO),
    ("metric-value-list", "channel", SUPERSCRIPT_ONE),
    ("metric-value-list", "metric", ARABIC_ONE),
    ("metric-value-list", "metric", PAST_THE_KEY),
    ("metric-value-list", "campaign", ARABIC_ONE),
    ("metric-value-list", "campaign", PAST_THE_KEY),
    ("target-list", "metric", SUPERSCRIPT_TWO),
    ("target-list", "channel", SUPERSCRIPT_ONE),
    ("target-list", "campaign", ARABIC_ONE),
    ("channel-list", "parent", SUPERSCRIPT_TWO),
    ("budget-line-list", "channel", SUPERSCRIPT_TWO),
    ("threshold-list", "metric", SUPERSCRIPT_TWO),
    ("threshold-list", "channel", SUPERSCRIPT_ONE),
    ("task-list", "department", SUPERSCRIPT_TWO),
    ("task-list", "campaign", ARABIC_ONE),
    ("assignment-list", "campaign", ARABIC_ONE),
]


@pytest.mark.parametrize(("route", "name", "value"), API_FILTERS)
def test_an_api_filter_given_no_id_answers_400_naming_the_filter(client_as, campaign, route, name, value):
    response = client_as(Role.MARKETING_MANAGER).get(url(route), {name: value})

    assert response.status_code == 400, response.content
    assert list(response.json()) == [name]


def test_a_metric_filter_still_takes_an_id_or_a_code(client_as, campaign):
    value = MetricValue.objects.get()
    client = client_as(Role.MARKETING_MANAGER)

    for given in (value.metric_id, str(value.metric_id), "units_sold"):
        response = client.get(url("metric-value-list"), {"metric": given})
        assert [row["id"] for row in response.json()["results"]] == [value.pk]
    assert client.get(url("metric-value-list"), {"metric": "no_such_metric"}).json()["results"] == []


@pytest.mark.parametrize("value", [ARABIC_ONE, PAST_THE_KEY, SUPERSCRIPT_TWO])
def test_recording_a_value_for_a_campaign_that_is_no_id_answers_400_and_records_nothing(client_as, campaign, value):
    before = MetricValue.objects.count()

    response = client_as("admin").post(
        url("metric-value-list"),
        {"metric": "units_sold", "campaign": value, "date": "2026-06-02", "value": "5"},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert "campaign" in response.json()
    assert MetricValue.objects.count() == before


def _page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["threshold", "campaign", "plan"])
@pytest.mark.parametrize("value", [SUPERSCRIPT_TWO, ARABIC_ONE, "abc", PAST_THE_KEY])
def test_the_threshold_preview_given_no_id_answers_400_even_to_a_viewer(make_user, campaign, name, value):
    response = _page_client(make_user(Role.VIEWER)).post(f"{reverse('tracking:threshold_preview')}?{name}={value}")

    assert response.status_code == 400
    assert name in response.content.decode()


@pytest.mark.parametrize("page", ["tracking:threshold_create", "tracking:plan_threshold_create"])
@pytest.mark.parametrize("value", [SUPERSCRIPT_TWO, ARABIC_ONE, PAST_THE_KEY])
def test_a_new_threshold_for_a_target_that_is_no_id_answers_400(make_user, campaign, page, value):
    scope = campaign if page == "tracking:threshold_create" else campaign.plan
    client = _page_client(make_user(Role.MARKETING_MANAGER))

    response = client.get(reverse(page, args=[scope.pk]), {"target": value})

    assert response.status_code == 400
    assert "target" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", SUPERSCRIPT_TWO, ARABIC_ONE, PAST_THE_KEY])
def test_renaming_a_stage_that_is_no_id_answers_400_and_adds_no_stage(make_user, campaign, value):
    StageFactory(campaign=campaign, name_en="Launch", name_zh="上线")
    client = _page_client(make_user(Role.MARKETING_MANAGER))

    response = client.post(
        reverse("tasks:stage_list", args=[campaign.pk]),
        {"stage": value, "name_zh": "改名", "name_en": "Renamed", "position": "0"},
    )

    assert response.status_code == 400
    assert "stage" in response.content.decode()
    assert list(Stage.objects.filter(campaign=campaign).values_list("name_en", flat=True)) == ["Launch"]


@pytest.mark.parametrize("name", ["task", "user", "department"])
def test_a_raci_change_for_a_row_that_is_no_id_answers_400(make_user, campaign, name):
    task = TaskFactory(stage__campaign=campaign)
    manager = make_user(Role.MARKETING_MANAGER)
    data = {"task": task.pk, "user": manager.pk, "role": "C", name: SUPERSCRIPT_TWO}
    if name == "department":
        del data["user"]

    response = _page_client(manager).post(reverse("tasks:raci_assign", args=[campaign.pk]), data)

    assert response.status_code == 400
    assert not task.assignments.exists()


def test_a_related_row_given_in_other_digits_is_not_taken_for_that_row(client_as, campaign):
    # int() reads "١٢" as 12: the campaign's own id written in Arabic-Indic digits is no id.
    arabic = str(campaign.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    data = {"campaign": arabic, "metric": "units_sold", "category": "performance", "target_value": "100"}

    response = client_as(Role.MARKETING_MANAGER).post(url("target-list"), data, format="json")

    assert response.status_code == 400
    assert "campaign" in response.json()
    assert campaign.targets.count() == 1  # only the fixture's goal
