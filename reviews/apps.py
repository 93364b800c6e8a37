from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self):
        from core import sync

        from . import models as review_models

        for model, resource in (
            (review_models.Review, "reviews"),
            (review_models.ReviewLine, "review-lines"),
            (review_models.Lesson, "lessons"),
            (review_models.FollowUpAction, "follow-up-actions"),
        ):
            sync.track(model, resource)
        from notifications import kinds
        from plans import gates
        from plans.models import CampaignStatus
        from tasks import extras
        from tracking import digest_extras

        from .integrations import DIGEST_SECTION, my_follow_up_actions
        from .models import NotificationKind
        from .services.reviews import archive_problems

        kinds.register(NotificationKind)
        gates.register(CampaignStatus.ARCHIVED, archive_problems)
        extras.register(my_follow_up_actions)
        digest_extras.register(DIGEST_SECTION)
