from datetime import timedelta

import pytest
from django.utils import timezone

from tasks.models import Assignment
from tests.factories import CampaignFactory, DepartmentFactory, StageFactory, TaskFactory, UserFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def campaign():
    """A campaign of "owner", a person in no role: what they may do there, they may as its owner."""
    return CampaignFactory(owner=UserFactory(username="owner"))


@pytest.fixture
def stage(campaign):
    """The campaign's one stage, Warm-up (预热宣传)."""
    return StageFactory(campaign=campaign, name_en="Warm-up", name_zh="预热宣传", position=1)


@pytest.fixture
def task(stage, today):
    """ "KOL video", not started, due in ten days; "responsible" does it and "accountable" approves it."""
    return TaskFactory(
        stage=stage,
        name="KOL video",
        responsible=UserFactory(username="responsible"),
        accountable=UserFactory(username="accountable"),
        due_date=today + timedelta(days=10),
    )


@pytest.fixture
def people():
    """Alice, Bob, Carol and Dave, in no role."""
    return {name: UserFactory(username=name, name=name.title()) for name in ("alice", "bob", "carol", "dave")}


@pytest.fixture
def raci_task(manager, people):
    """A task with every role, in a campaign of the manager: Alice R, Bob A, Carol C, Dave I,
    Design collaborating and Sales informed."""
    campaign = CampaignFactory(owner=manager)
    design, sales = DepartmentFactory(name="Design"), DepartmentFactory(name="Sales")
    task = TaskFactory(
        stage=StageFactory(campaign=campaign),
        responsible=people["alice"],
        accountable=people["bob"],
        name="Detail page",
    )
    task.departments.add(design)
    Assignment.objects.create(task=task, role="C", user=people["carol"])
    Assignment.objects.create(task=task, role="I", user=people["dave"])
    Assignment.objects.create(task=task, role="I", department=sales)
    return task
