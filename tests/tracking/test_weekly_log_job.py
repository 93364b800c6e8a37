"""The Friday job drafts every executing campaign's log of the week, once."""

from datetime import date

import pytest
from django.conf import settings

from plans.models import CampaignStatus
from tests.factories.weekly import FRIDAY, WEEK, week_campaign
from tracking import jobs
from tracking.models import WeeklyLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def friday(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: FRIDAY)


def test_the_job_drafts_each_executing_campaigns_log_once(friday):
    executing = week_campaign(status=CampaignStatus.EXECUTING)
    week_campaign(status=CampaignStatus.PLANNING)
    week_campaign(status=CampaignStatus.EXECUTING, start_date=date(2026, 6, 15), end_date=date(2026, 6, 30))

    assert jobs.draft_weekly_logs() == 1
    assert jobs.draft_weekly_logs() == 0
    assert list(WeeklyLog.objects.values_list("campaign_id", "week")) == [(executing.pk, WEEK)]


def test_beat_drafts_the_logs_on_friday_afternoon_in_the_sites_time_zone():
    entry = settings.CELERY_BEAT_SCHEDULE["draft-weekly-logs"]

    assert entry["task"] == "tracking.draft_weekly_logs"
    assert entry["schedule"].day_of_week == {5}
    assert entry["schedule"].hour == {14}
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE
