"""A blocked task's reason (the note of its latest update that set it blocked) is shown wherever
tasks are listed: the campaign page, the RACI matrix, the dashboard; in fixed queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tasks import services
from tasks.models import Task, TaskStatus
from tasks.selectors import with_blocked_reason
from tests.factories import CampaignFactory, StageFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(manager):
    return CampaignFactory(owner=manager)


@pytest.fixture
def staffer(make_user):
    return make_user(Role.STAFF, name="李专员")


def block(task, reason: str, *, by):
    return services.task_set_status(task=task, status=TaskStatus.BLOCKED, note=reason, by=by)


def test_the_reason_is_the_note_of_the_latest_update_that_blocked_the_task(campaign, staffer):
    task = TaskFactory(stage=StageFactory(campaign=campaign), responsible=staffer)
    block(task, "等待设计稿", by=staffer)
    services.task_set_status(task=task, status=TaskStatus.IN_PROGRESS, note="设计稿已到", by=staffer)
    block(task, "设计素材未到位", by=staffer)

    assert with_blocked_reason(Task.objects.filter(pk=task.pk)).get().blocked_reason == "设计素材未到位"


def test_the_campaign_page_lists_the_blocked_tasks_with_their_reason(client, manager, campaign, staffer):
    stage = StageFactory(campaign=campaign)
    block(TaskFactory(stage=stage, responsible=staffer, name="新品详情页上线"), "设计素材未到位", by=staffer)
    TaskFactory(stage=stage, name="进行中的任务", status=TaskStatus.IN_PROGRESS)
    client.force_login(manager)

    response = client.get(reverse("tasks:campaign_summary", args=[campaign.pk]))

    html = response.content.decode()
    assert [task.name for task in response.context["blocked"]] == ["新品详情页上线"]
    assert 'id="blocked-tasks"' in html
    assert "设计素材未到位" in html


def test_the_raci_matrix_filtered_on_blocked_shows_each_reason(client, manager, campaign, staffer):
    stage = StageFactory(campaign=campaign)
    block(TaskFactory(stage=stage, responsible=staffer, name="新品详情页上线"), "设计素材未到位", by=staffer)
    block(TaskFactory(stage=stage, responsible=staffer, name="KOL视频发布"), "KOL 档期冲突", by=staffer)
    client.force_login(manager)

    html = client.get(reverse("tasks:raci_matrix", args=[campaign.pk]) + "?status=blocked").content.decode()

    assert "设计素材未到位" in html
    assert "KOL 档期冲突" in html


def test_my_blocked_tasks_show_their_reason_on_the_dashboard(client, staffer):
    task = TaskFactory(responsible=staffer, name="新品详情页上线", due_date=timezone.localdate() + timedelta(days=3))
    block(task, "设计素材未到位", by=staffer)
    client.force_login(staffer)

    html = client.get(reverse("dashboard")).content.decode()

    assert 'id="my-blocked-tasks"' in html
    assert "设计素材未到位" in html


def _blocked_tasks(campaign, count: int, *, by) -> None:
    stage = StageFactory(campaign=campaign)
    for n in range(count):
        task = TaskFactory(stage=stage, responsible=by, due_date=timezone.localdate() + timedelta(days=n))
        block(task, f"reason {n}", by=by)


@pytest.mark.parametrize("page", ["campaign_summary", "raci_matrix"])
def test_the_pages_listing_blocked_tasks_run_the_same_queries_for_1_and_25(
    client, manager, staffer, count_queries, page
):
    small, large = CampaignFactory(owner=manager), CampaignFactory(owner=manager)
    _blocked_tasks(small, 1, by=staffer)
    _blocked_tasks(large, 25, by=staffer)
    client.force_login(manager)

    def url(campaign):
        return reverse(f"tasks:{page}", args=[campaign.pk]) + ("?status=blocked" if page == "raci_matrix" else "")

    client.get(url(small))
    queries = count_queries(lambda: client.get(url(small))), count_queries(lambda: client.get(url(large)))

    assert queries == (BLOCKED_PAGE_QUERIES[page],) * 2
    assert "reason 9" in client.get(url(large)).content.decode()


BLOCKED_PAGE_QUERIES = {"campaign_summary": 10, "raci_matrix": 14}
