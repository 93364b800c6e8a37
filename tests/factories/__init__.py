from .accounts import PASSWORD, ROLES, DepartmentFactory, UserFactory
from .notifications import ChatWebhookFactory, NotificationFactory
from .plans import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CampaignFactory,
    MetricValueFactory,
    TargetFactory,
    channel,
    goal_input,
    metric,
)
from .tasks import MilestoneFactory, StageFactory, TaskFactory, task_counts
from .tracking import ThresholdFactory, attainment_threshold, breach, open_alert, record, set_value

__all__ = [
    "PASSWORD",
    "ROLES",
    "AnnualPlanFactory",
    "BudgetLineFactory",
    "CampaignFactory",
    "ChatWebhookFactory",
    "DepartmentFactory",
    "MetricValueFactory",
    "MilestoneFactory",
    "NotificationFactory",
    "StageFactory",
    "TargetFactory",
    "TaskFactory",
    "ThresholdFactory",
    "UserFactory",
    "attainment_threshold",
    "breach",
    "channel",
    "goal_input",
    "metric",
    "open_alert",
    "record",
    "set_value",
    "task_counts",
]
