"""The weekly log's draft is written in the campaign owner's language (their preference, else
the site's LANGUAGE_CODE), whatever language the worker or the request drafting it is in."""

import pytest
from django.test import override_settings
from django.utils import translation

from accounts.models import Language
from tasks.models import TaskStatus
from tests.factories import UserFactory
from tests.factories.weekly import FRIDAY, WEEK, week_campaign, week_issue, week_task
from tracking.services.weekly_logs import draft_weekly_logs, weekly_log_draft

pytestmark = pytest.mark.django_db


def _campaign(language: str):
    campaign = week_campaign(owner=UserFactory(language=language))
    campaign.status = "executing"
    campaign.save(update_fields=["status"])
    blocked = week_task(campaign, status=TaskStatus.BLOCKED, reason="design late")
    week_issue(campaign, tasks=[blocked], description="Design material arrives late")
    week_task(campaign, status=TaskStatus.DONE)
    return campaign


def _text(log) -> str:
    return "\n".join(
        f"{row.stage_name}\n{row.planned_tasks}\n{row.completion}\n{row.problems}\n{row.key_figures}"
        for row in log.rows.order_by("position")
    )


@pytest.mark.parametrize("worker_language", ["en", "zh-hans"])
def test_a_chinese_owner_gets_a_chinese_draft(worker_language):
    campaign = _campaign(Language.CHINESE)
    with translation.override(worker_language):
        log, _created = weekly_log_draft(campaign=campaign, monday=WEEK, today=FRIDAY)

    text = _text(log)
    assert "预热宣传" in text  # the stage's Chinese name
    assert "问题:Design material arrives late" in text
    assert "已完成" in text
    assert "Issue:" not in text
    assert "Warm-up" not in text


@pytest.mark.parametrize("worker_language", ["en", "zh-hans"])
def test_an_english_owner_gets_an_english_draft(worker_language):
    campaign = _campaign(Language.ENGLISH)
    with translation.override(worker_language):
        log, _created = weekly_log_draft(campaign=campaign, monday=WEEK, today=FRIDAY)

    text = _text(log)
    assert "Warm-up" in text
    assert "Issue: Design material arrives late" in text
    assert "预热宣传" not in text
    assert "问题" not in text


@override_settings(LANGUAGE_CODE="zh-hans")
def test_an_owner_without_a_preference_gets_the_sites_language_from_the_friday_job():
    campaign = _campaign(Language.BROWSER)
    with translation.override("en"):
        assert draft_weekly_logs(today=FRIDAY) == 1

    text = _text(campaign.weekly_logs.get())
    assert "预热宣传" in text
    assert "Issue:" not in text
