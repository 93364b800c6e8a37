from datetime import date

import factory

from tasks.models import Assignment, Milestone, Stage, StatusUpdate, Task, TaskStatus

from .accounts import UserFactory
from .plans import CampaignFactory


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    campaign = factory.SubFactory(CampaignFactory)
    name_zh = factory.Sequence(lambda n: f"阶段{n}")
    name_en = factory.Sequence(lambda n: f"Stage {n}")
    position = factory.Sequence(lambda n: n)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    stage = factory.SubFactory(StageFactory)
    campaign = factory.SelfAttribute("stage.campaign")
    name = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = date(2026, 6, 15)


class TaskFactory(factory.django.DjangoModelFactory):
    """A task; its creation is not recorded as a status update (use tasks.services.task_create for that)."""

    class Meta:
        model = Task

    stage = factory.SubFactory(StageFactory)
    campaign = factory.SelfAttribute("stage.campaign")
    name = factory.Sequence(lambda n: f"Task {n}")
    responsible = factory.SubFactory(UserFactory)
    accountable = factory.SubFactory(UserFactory)
    due_date = date(2026, 6, 20)
    status = TaskStatus.NOT_STARTED


def task_counts() -> tuple[int, int, int, int]:
    """How many tasks, status updates, assignments and stages there are (a refused request changes none)."""
    return (Task.objects.count(), StatusUpdate.objects.count(), Assignment.objects.count(), Stage.objects.count())


def ready_to_start(campaign):
    """Give a campaign what the kickoff gate asks for: a headline goal split into a sub-goal,
    a stage and a task with its R and A (plans.gates, tasks.gates)."""
    from .plans import TargetFactory

    goal = TargetFactory(campaign=campaign)
    TargetFactory(campaign=campaign, parent=goal, target_value=goal.target_value / 2)
    TaskFactory(stage=StageFactory(campaign=campaign))
    return campaign
