from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracking"
    verbose_name = _("Tracking")

    def ready(self):
        from core import sync

        from . import models

        for model, resource in (
            (models.Threshold, "thresholds"),
            (models.Alert, "alerts"),
            (models.Adjustment, "adjustments"),
            (models.WeeklyLog, "weekly-logs"),
            (models.Issue, "issues"),
        ):
            sync.track(model, resource)
        from notifications import kinds

        from .models import AdjustmentNotificationKind, NotificationKind, WeeklyLogNotificationKind

        kinds.register(NotificationKind)
        kinds.register(AdjustmentNotificationKind)
        kinds.register(WeeklyLogNotificationKind)
