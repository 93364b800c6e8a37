"""Stages and milestones through the API: the campaign's owner and marketing managers add them
(or the template's four stages), within the campaign; a stage with tasks is not deleted."""

from datetime import timedelta

import pytest

from accounts.models import Role
from tasks.models import Milestone, Stage
from tests.api import NOT_MANAGERS, url
from tests.factories import CampaignFactory, MilestoneFactory, StageFactory, task_counts

pytestmark = pytest.mark.django_db


def test_a_manager_adds_a_stage_after_the_last_one(client_as, campaign, stage):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("stage-list"), {"campaign": campaign.pk, "name_en": "Follow-up"})

    assert response.status_code == 201, response.json()
    added = Stage.objects.get(pk=response.json()["id"])
    assert (added.name_en, added.name_zh, added.position) == ("Follow-up", "Follow-up", stage.position + 1)


def test_a_campaign_without_stages_gets_the_four_template_stages(client_as, campaign):
    client = client_as(campaign.owner)

    response = client.post(url("stage-defaults"), {"campaign": campaign.pk})
    again = client.post(url("stage-defaults"), {"campaign": campaign.pk})

    assert response.status_code == 200, response.json()
    assert [row["name_zh"] for row in response.json()] == ["产品筹备", "预热宣传", "正式推广", "售后复盘"]
    assert again.json() == response.json()
    assert campaign.stages.count() == 4


def test_a_stage_with_tasks_is_not_deleted(client_as, task, stage):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.delete(url("stage-detail", stage.pk))

    assert response.status_code == 400
    assert Stage.objects.filter(pk=stage.pk).exists()


def test_a_manager_adds_a_milestone_to_the_stages_campaign(client_as, campaign, stage, today):
    client = client_as(Role.MARKETING_MANAGER)
    due = today + timedelta(days=5)

    response = client.post(
        url("milestone-list"), {"stage": stage.pk, "name": "KOL videos live", "due_date": due.isoformat()}
    )

    assert response.status_code == 201, response.json()
    milestone = Milestone.objects.get()
    assert (milestone.campaign, milestone.stage, milestone.due_date) == (campaign, stage, due)
    assert response.json()["is_missed"] is False


def test_a_milestone_cannot_move_to_a_stage_of_another_campaign(client_as, stage):
    milestone = MilestoneFactory(stage=stage)
    client = client_as(Role.MARKETING_MANAGER)

    response = client.patch(url("milestone-detail", milestone.pk), {"stage": StageFactory().pk})

    assert response.status_code == 400
    assert "stage" in response.json()
    milestone.refresh_from_db()
    assert milestone.stage == stage


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_the_campaign_owner_and_managers_change_stages_and_milestones(client_as, campaign, stage, who):
    milestone = MilestoneFactory(stage=stage, name="Page live")
    client = client_as(who)
    before = (task_counts(), Milestone.objects.count())

    responses = [
        client.post(url("stage-list"), {"campaign": campaign.pk, "name_en": "Extra"}),
        client.patch(url("stage-detail", stage.pk), {"name_en": "Renamed"}),
        client.delete(url("stage-detail", stage.pk)),
        client.post(url("stage-defaults"), {"campaign": CampaignFactory().pk}),
        client.post(url("milestone-list"), {"stage": stage.pk, "name": "Extra", "due_date": "2026-12-01"}),
        client.patch(url("milestone-detail", milestone.pk), {"name": "Renamed"}),
    ]

    assert [response.status_code for response in responses] == [403] * 6
    assert (task_counts(), Milestone.objects.count()) == before
    stage.refresh_from_db()
    milestone.refresh_from_db()
    assert (stage.name_en, milestone.name) == ("Warm-up", "Page live")
