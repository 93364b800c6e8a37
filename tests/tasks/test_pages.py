from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.models import Role
from tasks.models import StatusUpdate, Task, TaskStatus
from tests.factories import CampaignFactory, DepartmentFactory, StageFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_my_tasks_groups_my_tasks_overdue_blocked_this_week_and_later(client, staff_user, today):
    overdue = TaskFactory(responsible=staff_user, name="逾期任务", due_date=today - timedelta(days=1))
    blocked = TaskFactory(
        responsible=staff_user, name="受阻任务", due_date=today + timedelta(days=30), status=TaskStatus.BLOCKED
    )
    later = TaskFactory(responsible=staff_user, name="以后任务", due_date=today + timedelta(days=30))
    TaskFactory(name="别人的任务")
    client.force_login(staff_user)

    response = client.get(reverse("tasks:my_tasks"))

    shown = {name: [card.pk for card in cards] for name, cards in response.context["groups"].items()}
    assert shown["overdue"] == [overdue.pk]
    assert shown["blocked"] == [blocked.pk]
    assert shown["later"] == [later.pk]
    assert "别人的任务" not in response.content.decode()


def test_one_tap_changes_status_in_place(client, staff_user):
    task = TaskFactory(responsible=staff_user)
    client.force_login(staff_user)

    response = client.post(
        reverse("tasks:task_status", args=[task.pk]), {"status": "in_progress", "progress": "30", "note": ""}, **HTMX
    )

    assert response.status_code == 200
    # The card alone (tasks/_task_card.html, put together by CardRenderer), not a page.
    assert response.content.decode().startswith('<article class="card task-card')
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 30)
    assert f'id="task-{task.pk}"' in response.content.decode()


def test_blocked_without_a_reason_is_refused_in_place_and_changes_nothing(client, staff_user):
    task = TaskFactory(responsible=staff_user)
    client.force_login(staff_user)

    response = client.post(reverse("tasks:task_status", args=[task.pk]), {"status": "blocked", "note": ""}, **HTMX)

    assert response.status_code == 200
    assert "a blocked task needs a reason" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]
)
def test_only_the_r_and_the_a_change_status(client, make_user, role):
    task = TaskFactory()
    client.force_login(make_user(role))

    response = client.post(reverse("tasks:task_status", args=[task.pk]), {"status": "in_progress"}, **HTMX)

    assert response.status_code == 403
    assert not StatusUpdate.objects.exists()


def test_the_accountable_can_change_status(client):
    task = TaskFactory()
    client.force_login(task.accountable)

    response = client.post(reverse("tasks:task_status", args=[task.pk]), {"status": "done", "note": "验收通过"})

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_nothing_to_report_records_a_check_in(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("tasks:check_in"), **HTMX)

    assert "nothing to report" in response.content.decode()
    assert staff_user.check_ins.count() == 1


def test_my_tasks_runs_the_same_queries_for_10_and_1000_tasks(client, make_user, count_queries, today):
    stage = StageFactory()
    small, large = make_user(Role.STAFF), make_user(Role.STAFF)
    other = UserFactory()

    def make(user, n):
        Task.objects.bulk_create(
            Task(
                campaign=stage.campaign,
                stage=stage,
                name=f"T{i}",
                responsible=user,
                accountable=other,
                due_date=today + timedelta(days=i % 40 - 10),
                status=["not_started", "blocked", "in_progress"][i % 3],
            )
            for i in range(n)
        )

    make(small, 10)
    make(large, 1000)
    client.force_login(small)
    small_count = count_queries(lambda: client.get(reverse("tasks:my_tasks")))
    client.force_login(large)
    large_count = count_queries(lambda: client.get(reverse("tasks:my_tasks")))

    assert small_count == large_count


def test_task_detail_shows_raci_and_history(client, staff_user):
    task = TaskFactory(responsible=staff_user, name="新品详情页上线", deliverable="详情页通过审核,商品可正常访问")
    client.force_login(staff_user)
    client.post(reverse("tasks:task_status", args=[task.pk]), {"status": "in_progress", "note": "设计初稿完成"})

    html = client.get(task.get_absolute_url()).content.decode()

    assert "详情页通过审核" in html
    assert "设计初稿完成" in html
    assert task.accountable.display_name in html


def test_a_task_is_hidden_from_staff_who_have_no_part_in_it(client, make_user):
    task = TaskFactory()
    client.force_login(make_user(Role.STAFF))

    assert client.get(task.get_absolute_url()).status_code == 403


def test_a_department_lead_sees_tasks_of_their_department(client, make_user):
    department = DepartmentFactory(name="设计部")
    task = TaskFactory()
    task.departments.add(department)
    client.force_login(make_user(Role.DEPARTMENT_LEAD, department=department))

    assert client.get(task.get_absolute_url()).status_code == 200


def test_the_campaign_owner_creates_a_task_and_staff_cannot(client, make_user, manager):
    campaign = CampaignFactory(owner=manager)
    client.force_login(make_user(Role.STAFF))
    refused = client.post(reverse("tasks:task_create", args=[campaign.pk]), {})
    assert refused.status_code == 403

    client.force_login(manager)
    stage = StageFactory(campaign=campaign)
    responsible = make_user(Role.STAFF)
    response = client.post(
        reverse("tasks:task_create", args=[campaign.pk]),
        {
            "name": "KOL视频发布",
            "stage": stage.pk,
            "responsible": responsible.pk,
            "accountable": manager.pk,
            "due_date": "2026-06-05",
            "deliverable": "播放量≥5万",
        },
    )

    task = Task.objects.get()
    assert response["Location"] == task.get_absolute_url()
    assert task.responsible == responsible


def test_a_task_without_a_responsible_is_refused_naming_the_field(client, manager):
    stage = StageFactory(campaign=CampaignFactory(owner=manager))
    client.force_login(manager)

    response = client.post(
        reverse("tasks:task_create", args=[stage.campaign.pk]),
        {"name": "x", "stage": stage.pk, "accountable": manager.pk, "due_date": "2026-06-05"},
    )

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not Task.objects.exists()


def test_the_campaign_page_loads_its_task_summary(client, manager, today):
    campaign = CampaignFactory(owner=manager)
    stage = StageFactory(campaign=campaign)
    TaskFactory(stage=stage, name="逾期的任务", due_date=today - timedelta(days=2))
    client.force_login(manager)

    page = client.get(campaign.get_absolute_url()).content.decode()
    summary = client.get(reverse("tasks:campaign_summary", args=[campaign.pk])).content.decode()

    assert reverse("tasks:campaign_summary", args=[campaign.pk]) in page
    assert "逾期的任务" in summary


def test_the_stages_page_renames_a_stage(client, manager):
    stage = StageFactory(campaign=CampaignFactory(owner=manager), position=0)
    campaign = stage.campaign
    client.force_login(manager)

    client.post(
        reverse("tasks:stage_list", args=[campaign.pk]),
        {"stage": stage.pk, "name_zh": "备货", "name_en": "Stock", "position": 0},
    )

    stage.refresh_from_db()
    assert stage.name_zh == "备货"


def test_campaign_summary_runs_fixed_queries(client, manager, count_queries, today):
    campaign = CampaignFactory(owner=manager)
    stage = StageFactory(campaign=campaign)
    client.force_login(manager)
    TaskFactory.create_batch(3, stage=stage, due_date=today - timedelta(days=1))
    small = count_queries(lambda: client.get(reverse("tasks:campaign_summary", args=[campaign.pk])))

    TaskFactory.create_batch(30, stage=stage, due_date=today - timedelta(days=1))
    large = count_queries(lambda: client.get(reverse("tasks:campaign_summary", args=[campaign.pk])))

    assert small == large


def test_dates_are_shown_in_iso_form(client, staff_user):
    TaskFactory(responsible=staff_user, due_date=date(2030, 1, 2))
    client.force_login(staff_user)

    assert "2030-01-02" in client.get(reverse("tasks:my_tasks")).content.decode()


def test_a_task_owner_records_figures_of_their_campaign_and_other_staff_cannot(client, make_user, today):
    owner_of_task = make_user(Role.STAFF)
    task = TaskFactory(responsible=owner_of_task)
    data = {"date": today.isoformat(), "metric_units_sold": "10"}

    client.force_login(make_user(Role.STAFF))
    refused = client.post(reverse("plans:metric_values_record", args=[task.campaign_id]), data)
    client.force_login(owner_of_task)
    allowed = client.post(reverse("plans:metric_values_record", args=[task.campaign_id]), data)

    assert refused.status_code == 403
    assert allowed.status_code == 302
    assert task.campaign.metric_values.count() == 1


def test_task_detail_lists_consulted_people_and_informed_departments(client, staff_user):
    from tasks import services

    task = TaskFactory(responsible=staff_user)
    services.assignment_set(task=task, role="C", user=UserFactory(name="周主管"))
    services.assignment_set(task=task, role="I", department=DepartmentFactory(name="销售部"))
    client.force_login(staff_user)

    response = client.get(task.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "周主管" in html
    assert "销售部" in html
