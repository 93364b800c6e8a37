from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role
from tasks import services
from tasks.models import DEFAULT_STAGES, Assignment, DailyCheckIn, StatusUpdate, Task, TaskStatus
from tasks.services import TaskInput
from tests.factories import CampaignFactory, DepartmentFactory, MilestoneFactory, StageFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(manager):
    return CampaignFactory(owner=manager)


def task_input(stage, **overrides):
    data = {
        "stage": stage,
        "name": "KOL视频发布",
        "responsible": UserFactory(roles=[Role.STAFF]),
        "accountable": UserFactory(roles=[Role.STAFF]),
        "due_date": date(2026, 6, 5),
        "deliverable": "视频播放量≥5万,互动率≥3%",
    }
    data.update(overrides)
    return TaskInput(**data)


def test_a_new_campaign_gets_the_four_default_stages_once(campaign):
    first = services.stages_ensure_defaults(campaign=campaign)
    again = services.stages_ensure_defaults(campaign=campaign)

    assert [stage.name_zh for stage in first] == [zh for zh, _ in DEFAULT_STAGES]
    assert [s.pk for s in again] == [s.pk for s in first]


def test_creating_a_task_records_its_first_status_update(campaign, manager):
    stage = services.stages_ensure_defaults(campaign=campaign)[1]

    task = services.task_create(campaign=campaign, data=task_input(stage), by=manager)

    update = task.updates.get()
    assert (update.old_status, update.new_status, update.author) == ("", TaskStatus.NOT_STARTED, manager)
    assert task.history.first().history_user == manager


def test_the_database_refuses_a_task_without_a_responsible(campaign):
    stage = StageFactory(campaign=campaign)

    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(
            campaign=campaign, stage=stage, name="x", due_date=date(2026, 6, 1), accountable=UserFactory()
        )


def test_a_task_without_an_accountable_is_refused_naming_the_field(campaign, manager):
    stage = StageFactory(campaign=campaign)

    with pytest.raises(ValidationError) as error:
        services.task_create(campaign=campaign, data=task_input(stage, accountable=None), by=manager)

    assert "accountable" in error.value.message_dict
    assert not Task.objects.exists()


def test_a_stage_of_another_campaign_is_refused(campaign, manager):
    other_stage = StageFactory()

    with pytest.raises(ValidationError) as error:
        services.task_create(campaign=campaign, data=task_input(other_stage), by=manager)

    assert "stage" in error.value.message_dict


def test_a_deadline_before_the_start_is_refused(campaign, manager):
    stage = StageFactory(campaign=campaign)

    with pytest.raises(ValidationError) as error:
        services.task_create(campaign=campaign, data=task_input(stage, start_date=date(2026, 6, 10)), by=manager)

    assert "due_date" in error.value.message_dict


def test_blocked_needs_a_reason_and_done_needs_a_note():
    task = TaskFactory()

    with pytest.raises(ValidationError) as blocked:
        services.task_set_status(task=task, status=TaskStatus.BLOCKED, by=task.responsible)
    with pytest.raises(ValidationError) as done:
        services.task_set_status(task=task, status=TaskStatus.DONE, note="  ", by=task.responsible)

    assert "note" in blocked.value.message_dict
    assert "note" in done.value.message_dict
    assert not StatusUpdate.objects.exists()


def test_the_database_refuses_a_blocked_update_without_a_reason():
    task = TaskFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(
            task=task,
            author=task.responsible,
            created_at=timezone.now(),
            new_status=TaskStatus.BLOCKED,
            progress=0,
            note="",
        )


def test_the_task_status_is_always_its_latest_update():
    task = TaskFactory()

    services.task_set_status(task=task, status=TaskStatus.IN_PROGRESS, progress=30, note="started", by=task.responsible)
    services.task_set_status(task=task, status=TaskStatus.BLOCKED, note="设计素材未到位", by=task.accountable)

    task.refresh_from_db()
    latest = task.updates.first()
    assert (task.status, task.progress) == (latest.new_status, latest.progress) == (TaskStatus.BLOCKED, 30)
    assert latest.old_status == TaskStatus.IN_PROGRESS
    assert task.updates.count() == 2


def test_done_sets_progress_to_100_and_reaches_the_milestone_with_its_last_task():
    milestone = MilestoneFactory()
    first = TaskFactory(stage=milestone.stage, milestone=milestone)
    second = TaskFactory(stage=milestone.stage, milestone=milestone)

    services.task_set_status(task=first, status=TaskStatus.DONE, note="ok", by=first.responsible)
    milestone.refresh_from_db()
    assert milestone.reached_on is None

    services.task_set_status(task=second, status=TaskStatus.DONE, note="ok", by=second.responsible)
    milestone.refresh_from_db()
    second.refresh_from_db()
    assert milestone.reached_on == timezone.localdate()
    assert second.progress == 100


def test_progress_outside_0_to_100_is_refused():
    task = TaskFactory()

    with pytest.raises(ValidationError) as error:
        services.task_set_status(task=task, status=TaskStatus.IN_PROGRESS, progress=120, by=task.responsible)

    assert "progress" in error.value.message_dict


def test_overdue_means_due_date_passed_and_not_done():
    today = date(2026, 6, 10)
    late = TaskFactory(due_date=date(2026, 6, 9))
    TaskFactory(due_date=date(2026, 6, 9), status=TaskStatus.DONE)
    TaskFactory(due_date=date(2026, 6, 10))

    assert list(Task.objects.overdue(today=today)) == [late]
    assert late.is_overdue(today)


def test_a_person_holds_at_most_one_of_c_or_i_on_a_task(manager):
    task = TaskFactory()
    person = UserFactory()

    services.assignment_set(task=task, role="C", user=person)
    services.assignment_set(task=task, role="I", user=person)

    assert list(Assignment.objects.filter(task=task).values_list("role", flat=True)) == ["I"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(task=task, role="C", user=person)


def test_the_responsible_cannot_also_be_consulted():
    task = TaskFactory()

    with pytest.raises(ValidationError):
        services.assignment_set(task=task, role="C", user=task.responsible)

    assert not Assignment.objects.exists()


def test_a_department_can_be_informed():
    task = TaskFactory()
    department = DepartmentFactory(name="销售部")

    assignment = services.assignment_set(task=task, role="I", department=department)

    assert assignment.department == department


def test_a_check_in_is_recorded_once_a_day(staff_user):
    services.daily_check_in(user=staff_user)
    services.daily_check_in(user=staff_user)

    assert DailyCheckIn.objects.filter(user=staff_user).count() == 1


def test_visible_to_follows_raci_and_department(make_user):
    department = DepartmentFactory(name="设计部")
    lead = make_user(Role.DEPARTMENT_LEAD, department=department)
    outsider = make_user(Role.STAFF)
    consulted = make_user(Role.STAFF)
    viewer = make_user(Role.VIEWER)
    collaborating = TaskFactory()
    collaborating.departments.add(department)
    own = TaskFactory()
    services.assignment_set(task=own, role="C", user=consulted)
    hidden = TaskFactory()

    assert set(Task.objects.visible_to(lead)) == {collaborating}
    assert set(Task.objects.visible_to(consulted)) == {own}
    assert set(Task.objects.visible_to(outsider)) == set()
    assert set(Task.objects.visible_to(viewer)) == {collaborating, own, hidden}
    assert set(Task.objects.visible_to(own.responsible)) == {own}


def test_a_stage_with_tasks_cannot_be_deleted():
    task = TaskFactory()

    with pytest.raises(ValidationError):
        services.stage_delete(stage=task.stage)


def test_due_dates_one_week_apart_are_not_overdue_before_they_pass():
    today = timezone.localdate()
    task = TaskFactory(due_date=today + timedelta(days=7))

    assert not Task.objects.overdue(today=today).filter(pk=task.pk).exists()


def test_a_new_stage_without_a_position_goes_last(campaign):
    StageFactory(campaign=campaign, position=4)

    stage = services.stage_save(campaign=campaign, name_zh="复盘", name_en="Review")

    assert stage.position == 5


def test_a_renamed_stage_without_a_position_keeps_its_place(campaign):
    stage = StageFactory(campaign=campaign, position=2)

    services.stage_save(campaign=campaign, stage=stage, name_zh="预热", name_en="Warm-up")

    stage.refresh_from_db()
    assert (stage.name_en, stage.position) == ("Warm-up", 2)
