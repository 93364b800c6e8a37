"""A task's dates stay within the tracker's window (2000-01-01 to 2100-12-31) on the page, in
the API and in the RACI import; and the timeline draws whatever dates are already stored
(a task due 0001-01-01, a milestone on 9999-12-31) instead of failing for everyone."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from tasks import services
from tasks.imports import import_tasks
from tasks.models import Task
from tasks.timeline import build_timeline
from tests.api import url
from tests.factories import CampaignFactory, MilestoneFactory, StageFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(manager):
    return StageFactory(campaign=CampaignFactory(owner=manager))


def _task(stage, manager, **dates) -> dict:
    responsible = UserFactory(roles=[Role.STAFF])
    return {"stage": stage.pk, "name": "上线", "responsible": responsible.pk, "accountable": manager.pk, **dates}


@pytest.mark.parametrize(("due", "created"), [("2000-01-01", True), ("2100-12-31", True), ("1999-12-31", False)])
def test_the_task_form_takes_a_deadline_on_the_windows_edges_and_refuses_one_past_them(
    client, manager, stage, due, created
):
    client.force_login(manager)
    response = client.post(reverse("tasks:task_create", args=[stage.campaign.pk]), _task(stage, manager, due_date=due))

    assert Task.objects.exists() is created
    if not created:
        assert response.status_code == 200
        assert "due_date" in response.context["form"].errors


@pytest.mark.parametrize(
    ("field", "day"), [("due_date", "2101-01-01"), ("due_date", "0001-01-01"), ("start_date", "1999-12-31")]
)
def test_the_api_refuses_a_task_date_outside_the_window_naming_the_field(client_as, manager, stage, field, day):
    data = _task(stage, manager, due_date="2026-06-20") | {field: day}

    response = client_as(manager).post(url("task-list"), data)

    assert response.status_code == 400
    assert field in response.json()
    assert not Task.objects.exists()


def test_the_raci_import_refuses_a_row_dated_outside_the_window(manager):
    campaign = CampaignFactory(owner=manager)
    services.stages_ensure_defaults(campaign=campaign)
    UserFactory(username="li", roles=[Role.STAFF])
    content = "任务名称,所属阶段,负责人,截止时间\n上线,正式推广,li,2026-06-10\n预热,预热宣传,li,0001-01-01\n"

    result = import_tasks(file=SimpleUploadedFile("tasks.csv", content.encode()), campaign=campaign, user=manager)

    assert [(error.row, error.column) for error in result.errors] == [(3, "截止时间")]
    assert "2000-01-01 to 2100-12-31" in result.errors[0].message
    assert not Task.objects.exists()


def test_the_timeline_of_tasks_stored_far_out_of_range_answers_for_everyone(client, make_user, stage):
    TaskFactory(stage=stage, due_date=date(1, 1, 1))
    TaskFactory(stage=stage, start_date=date(2026, 6, 1), due_date=date(9999, 12, 31))
    MilestoneFactory(stage=stage, due_date=date(9999, 12, 31), reached_on=date(1, 1, 1))

    for role in (Role.VIEWER, Role.STAFF, Role.MARKETING_MANAGER):
        client.force_login(make_user(role))
        response = client.get(reverse("tasks:timeline", args=[stage.campaign.pk]))
        assert response.status_code == 200
        # The tooltips keep the dates as recorded.
        assert "0001-01-01" in response.content.decode()


def test_the_timeline_draws_stored_dates_at_the_windows_edges():
    campaign = CampaignFactory.build(start_date=date(2026, 6, 1), end_date=date(2026, 6, 30))
    task = TaskFactory.build(pk=1, stage__pk=1, stage_id=1, milestone_id=None, due_date=date(1, 1, 1))
    late = TaskFactory.build(pk=2, stage_id=1, milestone_id=None, start_date=None, due_date=date(9999, 12, 31))
    stages = [type("S", (), {"pk": 1, "name": "S"})()]

    layout = build_timeline(
        campaign_start=campaign.start_date,
        campaign_end=campaign.end_date,
        stages=stages,
        milestones=[],
        tasks=[task, late],
        today=date(2026, 6, 10),
    )

    assert (layout.start, layout.end) == (date(1999, 12, 31), date(2100, 12, 31))
    assert [bar.due_date for bar in layout.bars] == [date(1, 1, 1), date(9999, 12, 31)]
