from .accounts import PASSWORD, DepartmentFactory, UserFactory
from .notifications import ChatWebhookFactory
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
    "ChatWebhookFactory",
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
