from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tasks"
    verbose_name = _("Tasks")

    def ready(self):
        from core import sync

        from . import models

        for model, resource in (
            (models.Stage, "stages"),
            (models.Milestone, "milestones"),
            (models.Task, "tasks"),
            (models.Assignment, "assignments"),
            (models.StatusUpdate, "status-updates"),
        ):
            sync.track(model, resource)
        from plans import gates
        from plans.models import CampaignStatus

        from .gates import kickoff_problems

        gates.register(CampaignStatus.EXECUTING, kickoff_problems)
