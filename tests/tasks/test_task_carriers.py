"""Who may carry a task (Responsible or Accountable): people in a working role, not BI viewers
nor an account without a role such as the administrator's; the form, the service and the API
agree. The task form also sets the Consulted and Informed."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from tasks import services
from tasks.models import Assignment, Task
from tasks.services import TaskInput
from tests.api import url
from tests.factories import CampaignFactory, DepartmentFactory, StageFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(manager):
    return StageFactory(campaign=CampaignFactory(owner=manager))


@pytest.fixture
def people(make_user, admin_user):
    return {
        "staff": make_user(Role.STAFF, username="staffer", name="Staff Su"),
        "executive": make_user(Role.EXECUTIVE, username="boss", name="Executive Chen"),
        "lead": make_user(Role.DEPARTMENT_LEAD, username="lead", name="Lead Zhao"),
        "viewer": make_user(Role.VIEWER, username="viewer", name="Viewer Vi"),
        "admin": admin_user,
        "gone": make_user(Role.STAFF, username="gone", name="Gone Go", is_active=False),
        "viewer_and_staff": UserFactory(username="both", name="Both Bo", roles=[Role.VIEWER, Role.STAFF]),
    }


def form_data(stage, responsible, accountable, **fields):
    return {
        "name": "KOL视频发布",
        "stage": stage.pk,
        "responsible": responsible.pk,
        "accountable": accountable.pk,
        "due_date": "2026-06-05",
        **fields,
    }


def test_the_task_form_offers_as_r_and_a_only_active_people_in_a_working_role(client, manager, stage, people):
    client.force_login(manager)

    form = client.get(reverse("tasks:task_create", args=[stage.campaign.pk])).context["form"]

    for field in ("responsible", "accountable"):
        offered = set(form.fields[field].queryset)
        assert {people["staff"], people["executive"], people["lead"], people["viewer_and_staff"], manager} <= offered
        assert not offered & {people["viewer"], people["admin"], people["gone"]}


@pytest.mark.parametrize("who", ["viewer", "admin"])
def test_the_service_refuses_a_viewer_or_the_administrator_as_responsible_naming_the_field(stage, manager, people, who):
    data = TaskInput(stage=stage, name="x", responsible=people[who], accountable=manager, due_date=date(2026, 6, 5))

    with pytest.raises(ValidationError) as error:
        services.task_create(campaign=stage.campaign, data=data, by=manager)

    assert list(error.value.message_dict) == ["responsible"]
    assert not Task.objects.exists()


def test_the_api_refuses_a_viewer_as_accountable_with_the_same_message(client_as, stage, people):
    client = client_as(Role.MARKETING_MANAGER)
    payload = {
        "stage": stage.pk,
        "name": "x",
        "responsible": people["staff"].pk,
        "accountable": people["viewer"].pk,
        "due_date": "2026-06-05",
    }

    response = client.post(url("task-list"), payload)

    assert response.status_code == 400
    assert "Viewer Vi cannot be Responsible or Accountable" in response.json()["accountable"][0]
    assert not Task.objects.exists()


def test_a_person_posted_to_the_form_outside_the_offer_is_refused_and_nothing_saved(client, manager, stage, people):
    client.force_login(manager)

    response = client.post(
        reverse("tasks:task_create", args=[stage.campaign.pk]), form_data(stage, people["viewer"], manager)
    )

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"responsible"}
    assert not Task.objects.exists()


def test_a_task_keeps_an_owner_who_no_longer_carries_tasks_until_it_is_changed(client, manager, stage, people):
    task = TaskFactory(stage=stage, responsible=people["staff"], accountable=people["viewer"])
    client.force_login(manager)

    response = client.post(
        reverse("tasks:task_edit", args=[task.pk]),
        form_data(stage, people["staff"], people["viewer"], name="Renamed"),
    )

    assert response.status_code == 302, response.context["form"].errors
    task.refresh_from_db()
    assert (task.name, task.accountable) == ("Renamed", people["viewer"])


def test_the_task_form_sets_consulted_and_informed_people_and_departments(client, manager, stage, people):
    design = DepartmentFactory(name="设计部")
    client.force_login(manager)

    response = client.post(
        reverse("tasks:task_create", args=[stage.campaign.pk]),
        form_data(
            stage,
            people["staff"],
            manager,
            consulted=[f"user:{people['lead'].pk}", f"department:{design.pk}"],
            informed=[f"user:{people['viewer'].pk}"],
        ),
    )

    assert response.status_code == 302
    task = Task.objects.get()
    roles = {(a.role, a.user or a.department) for a in task.assignments.all()}
    assert roles == {("C", people["lead"]), ("C", design), ("I", people["viewer"])}


def test_editing_the_task_changes_and_removes_its_consulted_and_informed(client, manager, stage, people):
    design = DepartmentFactory(name="设计部")
    task = TaskFactory(stage=stage, responsible=people["staff"], accountable=manager)
    Assignment.objects.create(task=task, role="C", user=people["lead"])
    Assignment.objects.create(task=task, role="I", department=design)
    client.force_login(manager)

    edit_page = client.get(reverse("tasks:task_edit", args=[task.pk])).context["form"]
    assert edit_page["consulted"].value() == [f"user:{people['lead'].pk}"]

    response = client.post(
        reverse("tasks:task_edit", args=[task.pk]),
        form_data(stage, people["staff"], manager, informed=[f"user:{people['lead'].pk}"]),
    )

    assert response.status_code == 302
    assert {(a.role, a.user or a.department) for a in task.assignments.all()} == {("I", people["lead"])}


@pytest.mark.parametrize(
    ("consulted", "informed", "field"),
    [
        (["user:{lead}"], ["user:{lead}"], "informed"),  # the same person in both
        (["user:{staff}"], [], "consulted"),  # the Responsible
    ],
)
def test_a_wrong_consulted_or_informed_is_refused_naming_the_field_and_nothing_saved(
    client, manager, stage, people, consulted, informed, field
):
    ids = {"lead": people["lead"].pk, "staff": people["staff"].pk}
    client.force_login(manager)

    response = client.post(
        reverse("tasks:task_create", args=[stage.campaign.pk]),
        form_data(
            stage,
            people["staff"],
            manager,
            consulted=[value.format(**ids) for value in consulted],
            informed=[value.format(**ids) for value in informed],
        ),
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Task.objects.exists()
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("size", [1, 15])
def test_the_task_edit_page_runs_the_same_queries_whatever_its_consulted_and_informed(
    client, manager, stage, people, count_queries, size
):
    task = TaskFactory(stage=stage, responsible=people["staff"], accountable=manager)
    for n in range(size):
        Assignment.objects.create(task=task, role="C" if n % 2 else "I", user=UserFactory(roles=[Role.STAFF]))
        Assignment.objects.create(task=task, role="I", department=DepartmentFactory())
    client.force_login(manager)

    assert count_queries(lambda: client.get(reverse("tasks:task_edit", args=[task.pk]))) == EDIT_PAGE_QUERIES


EDIT_PAGE_QUERIES = 14
