"""The tasks selectors behind the API's lists: each person reads the Consulted/Informed and
the status history of the tasks they may see, and every campaign's stages and milestones."""

import pytest

from accounts.models import Role
from tasks import selectors
from tasks.models import Assignment, AssignmentRole, StatusUpdate, TaskStatus
from tests.factories import CampaignFactory, MilestoneFactory, StageFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF)


def test_a_person_reads_the_assignments_of_the_tasks_they_see_only(staff):
    mine, other = TaskFactory(responsible=staff), TaskFactory()
    seen = Assignment.objects.create(task=mine, role=AssignmentRole.INFORMED, user=UserFactory())
    Assignment.objects.create(task=other, role=AssignmentRole.CONSULTED, user=UserFactory())

    assert list(selectors.assignment_list(user=staff)) == [seen]


def test_a_person_reads_the_status_history_of_the_tasks_they_see_only(staff):
    mine, other = TaskFactory(responsible=staff), TaskFactory()
    for task in (mine, other):
        StatusUpdate.objects.create(
            task=task,
            author=task.responsible,
            created_at=task.created_at,
            new_status=TaskStatus.IN_PROGRESS,
            progress=10,
        )

    assert [update.task for update in selectors.status_update_list(user=staff)] == [mine]


def test_every_campaigns_stages_and_milestones_are_listed():
    stages = [StageFactory(campaign=campaign) for campaign in CampaignFactory.create_batch(2)]
    milestone = MilestoneFactory(stage=stages[1])

    assert (list(selectors.all_stages()), list(selectors.milestone_list())) == (stages, [milestone])
