from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Plans and campaigns")

    def ready(self):
        from core import sync

        from . import models

        for model, resource in (
            (models.Channel, "channels"),
            (models.Metric, "metrics"),
            (models.AnnualPlan, "plans"),
            (models.PlanItem, "plan-items"),
            (models.QuarterFocus, "quarter-focus"),
            (models.Target, "targets"),
            (models.BudgetLine, "budget-lines"),
            (models.Campaign, "campaigns"),
        ):
            sync.track(model, resource)
        # A metric value's change time is when it was recorded (last).
        sync.track(models.MetricValue, "metric-values", field="recorded_at")
