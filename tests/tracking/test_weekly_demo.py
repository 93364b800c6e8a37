"""The demo's weekly review: last week's log published, this week's drafted, and a channel
moving up the ranking."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from plans.demo import CAMPAIGN_NAME
from plans.models import Campaign
from plans.ranking import channel_ranking
from plans.weeks import week_start
from tracking.models import WeeklyLog, WeeklyLogState

pytestmark = pytest.mark.django_db


def test_the_demo_has_last_weeks_log_published_this_weeks_drafted_and_a_channel_moving_up():
    call_command("seed_demo", stdout=StringIO())
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    this_week = week_start(timezone.localdate())

    logs = {log.week: log for log in WeeklyLog.objects.filter(campaign=campaign)}
    assert logs[this_week - timedelta(days=7)].state == WeeklyLogState.PUBLISHED
    assert logs[this_week].state == WeeklyLogState.DRAFT
    arrows = {
        row.arrow
        for monday in (this_week - timedelta(days=7), this_week)
        for row in channel_ranking(plan=campaign.plan, campaign=campaign, monday=monday).rows
    }
    assert "up" in arrows

    state = list(WeeklyLog.objects.values("pk", "state", "updated_at"))
    call_command("seed_demo", stdout=StringIO())
    assert list(WeeklyLog.objects.values("pk", "state", "updated_at")) == state
