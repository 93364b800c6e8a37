from .accounts import PASSWORD, ROLES, DepartmentFactory, UserFactory
from .notifications import ChatDeliveryFactory, ChatWebhookFactory, NotificationFactory
from .plans import (
    JUNE_15,
    AnnualPlanFactory,
    BudgetLineFactory,
    CampaignFactory,
    MetricValueFactory,
    TargetFactory,
    bulk_values,
    channel,
    goal_input,
    metric,
    record_value,
)
from .tasks import MilestoneFactory, StageFactory, TaskFactory, ready_to_start, task_counts
from .tracking import ThresholdFactory, attainment_threshold, breach, open_alert, record, set_value

__all__ = [
    "JUNE_15",
    "PASSWORD",
    "ROLES",
    "AnnualPlanFactory",
    "BudgetLineFactory",
    "CampaignFactory",
    "ChatDeliveryFactory",
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
    "bulk_values",
    "channel",
    "goal_input",
    "metric",
    "open_alert",
    "ready_to_start",
    "record",
    "record_value",
    "set_value",
    "task_counts",
]
