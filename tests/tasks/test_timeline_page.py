"""The campaign's timeline page: every role sees it (staff, their tasks), bars link to their
task with a tooltip, overdue tasks are marked, user text is escaped, a new campaign shows its
four stages; the same queries for 10 and 500 tasks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from plans.models import CampaignType
from tasks import services
from tasks.models import DEFAULT_STAGES, Task, TaskStatus
from tests.factories import ROLES, AnnualPlanFactory, CampaignFactory, MilestoneFactory, StageFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(manager):
    """A campaign of the manager that began nine days ago and ends in twenty."""
    today = timezone.localdate()
    return CampaignFactory(owner=manager, start_date=today - timedelta(days=9), end_date=today + timedelta(days=20))


def timeline_url(campaign) -> str:
    return reverse("tasks:timeline", args=[campaign.pk])


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_timeline_with_its_tasks_and_the_today_marker(client, make_user, campaign, role):
    user = make_user(role)
    TaskFactory(stage=StageFactory(campaign=campaign), name="Book the livestream studio", responsible=user)
    client.force_login(user)

    response = client.get(timeline_url(campaign))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Book the livestream studio" in html
    assert 'id="timeline-today"' in html
    assert "<svg" in html


def test_staff_see_only_the_tasks_they_may_see(client, staff_user, campaign):
    stage = StageFactory(campaign=campaign)
    TaskFactory(stage=stage, name="My own task", responsible=staff_user)
    TaskFactory(stage=stage, name="Somebody else's task")
    client.force_login(staff_user)

    html = client.get(timeline_url(campaign)).content.decode()

    assert "My own task" in html
    assert "Somebody else" not in html


def test_bars_link_to_their_task_with_a_tooltip_and_overdue_tasks_are_marked(client, make_user, campaign):
    manager = make_user(Role.MARKETING_MANAGER, username="wang", name="Wang Fang")
    today = timezone.localdate()
    late = TaskFactory(
        stage=StageFactory(campaign=campaign),
        name="Print the posters",
        start_date=today - timedelta(days=5),
        due_date=today - timedelta(days=1),
        status=TaskStatus.IN_PROGRESS,
        responsible=manager,
    )
    client.force_login(manager)

    html = client.get(timeline_url(campaign)).content.decode()

    assert f'href="{reverse("tasks:task_detail", args=[late.pk])}"' in html
    assert "<title>Print the posters\nResponsible: Wang Fang\n" in html
    assert "timeline-bar-overdue" in html
    assert "timeline-overdue-marker" in html


def test_user_text_in_the_chart_is_escaped(client, manager, campaign):
    stage = StageFactory(campaign=campaign, name_en="<script>alert('stage')</script>")
    TaskFactory(stage=stage, name="<script>alert('task')</script>", responsible=manager)
    MilestoneFactory(stage=stage, name="<script>alert('milestone')</script>", due_date=campaign.end_date)
    campaign.name = "<script>alert('campaign')</script>"
    campaign.save()
    client.force_login(manager)

    html = client.get(timeline_url(campaign)).content.decode()

    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;task&#x27;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;milestone&#x27;)" in html


def test_a_new_campaign_shows_the_four_default_stages(client, manager):
    today = timezone.localdate()
    campaign = services.campaign_create(
        plan=AnnualPlanFactory(),
        name="新品上市",
        type=CampaignType.NEW_PRODUCT_LAUNCH,
        owner=manager,
        start_date=today - timedelta(days=9),
        end_date=today + timedelta(days=20),
        by=manager,
    )
    client.force_login(manager)

    html = client.get(timeline_url(campaign)).content.decode()

    for _zh, en in DEFAULT_STAGES:
        assert en in html
    assert "No tasks to show yet." in html


def test_a_missing_campaign_is_a_404(client, manager):
    client.force_login(manager)

    assert client.get(reverse("tasks:timeline", args=[999999])).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, campaign):
    response = client.get(timeline_url(campaign))

    assert response.status_code == 302


def _fill(campaign, responsible, count: int) -> None:
    stages = [StageFactory(campaign=campaign, position=position) for position in range(4)]
    milestones = [MilestoneFactory(stage=stage, due_date=campaign.end_date) for stage in stages]
    start = campaign.start_date
    Task.objects.bulk_create(
        Task(
            campaign=campaign,
            stage=stages[n % 4],
            milestone=milestones[n % 4] if n % 3 == 0 else None,
            name=f"Task {n}",
            start_date=start + timedelta(days=n % 20) if n % 5 else None,
            due_date=start + timedelta(days=n % 20 + 3),
            status=TaskStatus.values[n % 4],
            progress=n % 100,
            responsible=responsible,
            accountable=responsible,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("role", [Role.MARKETING_MANAGER, Role.STAFF])
def test_the_timeline_runs_the_same_queries_for_10_and_500_tasks(client, make_user, count_queries, role):
    user = make_user(role)
    today = timezone.localdate()
    small = CampaignFactory(start_date=today - timedelta(days=9), end_date=today + timedelta(days=20))
    large = CampaignFactory(start_date=today - timedelta(days=9), end_date=today + timedelta(days=20))
    _fill(small, user, 10)
    _fill(large, user, 500)
    client.force_login(user)
    client.get(timeline_url(small))

    queries_small = count_queries(lambda: client.get(timeline_url(small)))
    queries_large = count_queries(lambda: client.get(timeline_url(large)))

    assert queries_small == queries_large
