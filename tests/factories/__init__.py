from .accounts import PASSWORD, DepartmentFactory, UserFactory
from .plans import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CampaignFactory,
    MetricValueFactory,
    TargetFactory,
    channel,
    metric,
)
from .tasks import MilestoneFactory, StageFactory, TaskFactory

__all__ = [
    "PASSWORD",
    "AnnualPlanFactory",
    "BudgetLineFactory",
    "CampaignFactory",
    "DepartmentFactory",
    "MetricValueFactory",
    "MilestoneFactory",
    "StageFactory",
    "TargetFactory",
    "TaskFactory",
    "UserFactory",
    "channel",
    "metric",
]
