from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tests.factories import AnnualPlanFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_staff_see_their_overdue_tasks_and_a_way_to_update_them(client, staff_user):
    TaskFactory(responsible=staff_user, due_date=timezone.localdate() - timedelta(days=1))
    client.force_login(staff_user)

    html = client.get(reverse("dashboard")).content.decode()

    assert 'id="my-tasks-summary"' in html
    assert reverse("tasks:my_tasks") in html


def test_executives_see_the_plans_waiting_for_their_approval(client, make_user):
    AnnualPlanFactory(title="2027 计划草案", status="draft")
    AnnualPlanFactory(title="已启用计划", status="active", year=2025)
    client.force_login(make_user(Role.EXECUTIVE))

    html = client.get(reverse("dashboard")).content.decode()

    assert "2027 计划草案" in html
    assert 'id="plans-to-approve"' in html


def test_managers_get_no_approval_list(client, manager):
    AnnualPlanFactory(title="2027 计划草案", status="draft")
    client.force_login(manager)

    assert 'id="plans-to-approve"' not in client.get(reverse("dashboard")).content.decode()
