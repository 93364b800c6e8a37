"""The deletions feed: every deleted row of a synced list, cascades included, walked by
cursor, filtered by model and time; a row a deletion sets to NULL moves its updated_at."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import DeletedObject
from plans.models import Campaign, PlanItem, PlanItemCategory, PlanSection
from plans.services import plan_item_delete
from tasks.models import Assignment, Milestone, Task
from tasks.services import task_set_status
from tests.api import url
from tests.factories import TargetFactory, record
from tests.factories.issues import IssueFactory
from tests.factories.plans import CampaignFactory
from tests.factories.tasks import MilestoneFactory, StageFactory, TaskFactory
from tracking.evaluation import evaluate_all
from tracking.models import ThresholdKind
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db

JUNE_14 = timezone.make_aware(timezone.datetime(2026, 6, 14, 12))


@pytest.fixture(autouse=True)
def _no_lag(settings):
    settings.API_SYNC_LAG_SECONDS = 0


def feed(client, **params):
    """Every deletion the feed hands out from its start (or a cursor)."""
    query = {"page_size": 2, **params}
    if "cursor" not in query:
        query["sync"] = "1"
    rows = []
    while True:
        response = client.get(url("deletion-list"), query)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        if body["next"] is None:
            return rows, body["cursor"]
        query = {**query, "cursor": body["cursor"]}
        query.pop("sync", None)


def full_campaign():
    campaign = CampaignFactory()
    stage = StageFactory(campaign=campaign)
    goal = TargetFactory(campaign=campaign, target_value=Decimal("50000"))
    sub_goal = TargetFactory(campaign=campaign, parent=goal, metric=goal.metric, target_value=Decimal("20000"))
    record(campaign, "units_sold", {1: 5000, 2: 10})
    threshold = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=goal, percent=Decimal(80), paced=True)
    evaluate_all(now=JUNE_14)
    expected = {
        "campaigns": {campaign.pk},
        "targets": {goal.pk, sub_goal.pk},
        "stages": {stage.pk},
        "metric-values": set(campaign.metric_values.values_list("pk", flat=True)),
        "thresholds": {threshold.pk},
        "alerts": set(threshold.alerts.values_list("pk", flat=True)),
        "issues": {IssueFactory(campaign=campaign).pk},
    }
    assert all(expected.values())
    return campaign, expected


def reported(rows) -> dict[str, set[int]]:
    by_resource = {}
    for row in rows:
        by_resource.setdefault(row["resource"], set()).add(row["object_id"])
    return by_resource


def test_deleting_a_campaign_reports_it_and_every_row_its_deletion_cascades_to(token_client):
    campaign, expected = full_campaign()

    campaign.delete()

    rows, _cursor = feed(token_client)
    assert reported(rows) == expected
    assert {row["model"] for row in rows if row["resource"] == "metric-values"} == {"plans.metricvalue"}


def test_deleting_a_task_reports_its_status_updates_and_assignments(token_client):
    task = TaskFactory()
    update = task_set_status(task=task, status="in_progress", by=task.responsible)
    assignment = Assignment.objects.create(task=task, role="I", user=task.accountable)

    Task.objects.filter(pk=task.pk).delete()  # a queryset delete: signals still fire

    assert reported(feed(token_client)[0]) == {
        "tasks": {task.pk},
        "status-updates": {update.pk},
        "assignments": {assignment.pk},
    }


def test_the_feed_filters_by_model_and_time_and_resumes_at_its_cursor(token_client):
    first, second = CampaignFactory.create_batch(2)
    first_id, second_id = first.pk, second.pk
    first.delete()
    DeletedObject.objects.update(deleted_at=timezone.now() - timedelta(hours=2))
    rows, cursor = feed(token_client, model="campaigns")
    assert [row["object_id"] for row in rows] == [first_id]

    second.delete()
    assert [row["object_id"] for row in feed(token_client, cursor=cursor)[0]] == [second_id]
    later = (timezone.now() - timedelta(hours=1)).isoformat()
    assert [row["object_id"] for row in feed(token_client, deleted_after=later)[0]] == [second_id]
    assert [row["object_id"] for row in feed(token_client, model="plans.campaign")[0]] == [first_id, second_id]
    assert feed(token_client, model="tasks")[0] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"model": "accounts.apitoken"}, "model"),
        ({"model": "nothing"}, "model"),
        ({"deleted_after": "yesterday"}, "deleted_after"),
        ({"cursor": "garbage"}, "cursor"),
    ],
)
def test_bad_feed_parameters_are_a_400_naming_them(token_client, params, field):
    response = token_client.get(url("deletion-list"), params)
    assert response.status_code == 400
    assert field in response.json()


def test_deleting_through_a_service_is_reported(token_client):
    campaign = CampaignFactory()
    item = PlanItem.objects.create(
        plan=campaign.plan, section=PlanSection.values[0], category=PlanItemCategory.values[0], title_en="x"
    )
    item_id = item.pk
    plan_item_delete(item=item)
    assert [(row["resource"], row["object_id"]) for row in feed(token_client)[0]] == [("plan-items", item_id)]


def test_a_row_a_deletion_sets_to_null_moves_its_updated_at():
    milestone = MilestoneFactory()
    task = TaskFactory(stage=milestone.stage, milestone=milestone)
    Task.objects.filter(pk=task.pk).update(updated_at=timezone.now() - timedelta(days=3))

    Milestone.objects.filter(pk=milestone.pk).delete()

    task.refresh_from_db()
    assert task.milestone_id is None
    assert task.updated_at > timezone.now() - timedelta(minutes=1)
    assert Campaign.objects.exists()
