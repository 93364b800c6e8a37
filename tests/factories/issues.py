"""Issues of the register (form 3), written straight to the database; use
tracking.services.issues to go through the validation."""

from datetime import datetime
from zoneinfo import ZoneInfo

import factory
from django.conf import settings

from tracking.models import Issue

from .plans import CampaignFactory

# 10:00 on 8 June 2026, in the site's time zone: within the factories' June campaigns.
JUNE_8 = datetime(2026, 6, 8, 10, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    description = factory.Sequence(lambda n: f"Problem {n}")
    occurred_at = JUNE_8

    @factory.post_generation
    def affected_tasks(self, create, extracted, **kwargs):
        if create and extracted:
            self.affected_tasks.set(extracted)
