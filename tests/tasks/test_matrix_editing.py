"""Setting Consulted and Informed from the matrix's grid, in place: marketing managers make a
person or a department C or I, or nothing; staff may not; someone already Responsible or
Accountable cannot also be C or I."""

import pytest

from accounts.models import Role
from tasks.models import Assignment
from tests.factories import CampaignFactory, UserFactory
from tests.tasks.matrix import assign_url

pytestmark = pytest.mark.django_db


def test_a_manager_makes_a_person_consulted_from_the_grid(client, manager, raci_task):
    newcomer = UserFactory(name="Erin")
    client.force_login(manager)

    response = client.post(
        assign_url(raci_task.campaign),
        {"task": raci_task.pk, "user": newcomer.pk, "role": "C"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert Assignment.objects.get(task=raci_task, user=newcomer).role == "C"
    assert 'data-role="C"' in response.content.decode()
    assert response.content.decode().lstrip().startswith("<td")


def test_a_manager_changes_consulted_to_informed_and_then_to_nothing(client, manager, raci_task, people):
    client.force_login(manager)
    url = assign_url(raci_task.campaign)

    client.post(url, {"task": raci_task.pk, "user": people["carol"].pk, "role": "I"})
    assert Assignment.objects.get(task=raci_task, user=people["carol"]).role == "I"

    response = client.post(url, {"task": raci_task.pk, "user": people["carol"].pk, "role": ""})
    assert response.status_code == 200
    assert not Assignment.objects.filter(task=raci_task, user=people["carol"]).exists()
    assert "data-role" not in response.content.decode()


def test_a_manager_makes_a_department_informed_from_the_grid(client, manager, raci_task):
    design = raci_task.departments.get()
    client.force_login(manager)

    response = client.post(assign_url(raci_task.campaign), {"task": raci_task.pk, "department": design.pk, "role": "I"})

    assert response.status_code == 200
    assert Assignment.objects.get(task=raci_task, department=design).role == "I"
    assert "raci-collab" in response.content.decode()  # still a collaborating department too


def test_a_staff_member_may_not_set_roles_and_nothing_changes(client, make_user, raci_task):
    staffer = make_user(Role.STAFF)
    Assignment.objects.create(task=raci_task, role="I", user=staffer)  # they can see the task
    client.force_login(staffer)

    response = client.post(assign_url(raci_task.campaign), {"task": raci_task.pk, "user": staffer.pk, "role": "C"})

    assert response.status_code == 403
    assert Assignment.objects.get(task=raci_task, user=staffer).role == "I"


def test_a_staff_member_cannot_add_a_role_row(client, make_user, raci_task):
    staffer = make_user(Role.STAFF)
    other = UserFactory()
    client.force_login(staffer)

    response = client.post(assign_url(raci_task.campaign), {"task": raci_task.pk, "user": other.pk, "role": "C"})

    assert response.status_code == 403
    assert not Assignment.objects.filter(user=other).exists()


def test_making_the_responsible_also_consulted_is_refused_with_a_message_in_the_cell(
    client, manager, raci_task, people
):
    client.force_login(manager)

    response = client.post(
        assign_url(raci_task.campaign), {"task": raci_task.pk, "user": people["alice"].pk, "role": "C"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "raci-message" in html
    assert "already Responsible or Accountable" in html
    assert 'data-role="R"' in html
    assert not Assignment.objects.filter(task=raci_task, user=people["alice"]).exists()


def test_an_unknown_role_is_refused_with_a_message(client, manager, raci_task, people):
    client.force_login(manager)

    response = client.post(
        assign_url(raci_task.campaign), {"task": raci_task.pk, "user": people["carol"].pk, "role": "X"}
    )

    assert "raci-message" in response.content.decode()
    assert Assignment.objects.get(task=raci_task, user=people["carol"]).role == "C"


def test_a_task_of_another_campaign_cannot_be_assigned_through_this_one(client, manager, raci_task, people):
    other_campaign = CampaignFactory(owner=manager)
    client.force_login(manager)

    response = client.post(assign_url(other_campaign), {"task": raci_task.pk, "user": people["dave"].pk, "role": "C"})

    assert response.status_code == 404
    assert Assignment.objects.get(task=raci_task, user=people["dave"]).role == "I"


def test_assigning_needs_a_post(client, manager, raci_task):
    client.force_login(manager)

    assert client.get(assign_url(raci_task.campaign)).status_code == 405
