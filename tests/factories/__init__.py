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

__all__ = [
    "PASSWORD",
    "AnnualPlanFactory",
    "BudgetLineFactory",
    "CampaignFactory",
    "DepartmentFactory",
    "MetricValueFactory",
    "TargetFactory",
    "UserFactory",
    "channel",
    "metric",
]
