"""A campaign gets the template's four stages when it is created (by the page or the API), in
the same transaction; the task pages and the timeline only read them: a campaign without
stages shows none, and a GET writes nothing."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from plans.models import Campaign, CampaignType
from tasks import services
from tasks.models import DEFAULT_STAGES, Stage
from tests.factories import AnnualPlanFactory, CampaignFactory, StageFactory

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")
TASK_PAGES = ["task_create", "campaign_summary", "stage_list", "milestone_create", "timeline", "tasks_import"]


def stage_names(campaign) -> list[tuple[str, str]]:
    return list(campaign.stages.order_by("position").values_list("name_zh", "name_en"))


def test_a_campaign_created_on_its_page_has_the_four_default_stages(client, manager):
    plan = AnnualPlanFactory()
    client.force_login(manager)

    response = client.post(
        reverse("plans:campaign_create", args=[plan.pk]),
        {
            "name": "618 大促",
            "type": "promotion",
            "owner": manager.pk,
            "start_date": "2026-06-01",
            "end_date": "2026-06-18",
            "budget": "500000",
        },
    )

    campaign = Campaign.objects.get()
    assert response["Location"] == campaign.get_absolute_url()
    assert stage_names(campaign) == DEFAULT_STAGES


def test_a_campaign_refused_on_its_page_leaves_no_stages(client, manager):
    plan = AnnualPlanFactory()
    client.force_login(manager)

    response = client.post(
        reverse("plans:campaign_create", args=[plan.pk]),
        {"name": "x", "type": "promotion", "owner": manager.pk, "start_date": "2026-06-18", "end_date": "2026-06-01"},
    )

    assert response.status_code == 200
    assert (Campaign.objects.count(), Stage.objects.count()) == (0, 0)


def test_a_campaign_created_through_the_api_has_the_four_default_stages(manager):
    plan = AnnualPlanFactory()
    client = APIClient()
    client.force_authenticate(manager)

    response = client.post(
        reverse("api:campaign-list"),
        {
            "plan": plan.pk,
            "name": "618 promotion",
            "type": "promotion",
            "start_date": "2026-06-01",
            "end_date": "2026-06-18",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert stage_names(Campaign.objects.get(pk=response.json()["id"])) == DEFAULT_STAGES


def test_the_service_records_who_created_the_campaign_and_its_stages(manager):
    today = timezone.localdate()

    campaign = services.campaign_create(
        plan=AnnualPlanFactory(),
        name="新品上市",
        type=CampaignType.NEW_PRODUCT_LAUNCH,
        owner=manager,
        start_date=today,
        end_date=today + timedelta(days=29),
        by=manager,
    )

    authors = {stage.history.get().history_user for stage in campaign.stages.all()}
    assert (campaign.history.get().history_user, authors) == (manager, {manager})


@pytest.mark.parametrize("page", TASK_PAGES)
def test_a_task_page_of_a_campaign_without_stages_writes_nothing(client, manager, page):
    campaign = CampaignFactory(owner=manager)
    client.force_login(manager)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"tasks:{page}", args=[campaign.pk]))

    assert response.status_code == 200
    assert [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)] == []
    assert Stage.objects.count() == 0


def test_the_timeline_of_a_campaign_without_stages_shows_none(client, manager):
    campaign = CampaignFactory(owner=manager)
    client.force_login(manager)

    html = client.get(reverse("tasks:timeline", args=[campaign.pk])).content.decode()

    assert not any(en in html for _zh, en in DEFAULT_STAGES)


def test_the_migration_gives_the_four_stages_to_campaigns_without_any_only():
    bare = CampaignFactory()
    staged = StageFactory(name_zh="备货", name_en="Stock").campaign
    migration = importlib.import_module("tasks.migrations.0003_default_stages_for_campaigns_without_any")

    migration.create_default_stages(apps, None)

    assert (stage_names(bare), stage_names(staged)) == (DEFAULT_STAGES, [("备货", "Stock")])
    assert {stage.history.get().history_type for stage in bare.stages.all()} == {"+"}
