"""The log page, the review page and drafting a log run the same number of queries whatever
the number of tasks and values."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.models import TaskStatus
from tests.factories import ThresholdFactory, open_alert
from tests.factories.weekly import FRIDAY, WEEK, draft, many_tasks, many_values, week_campaign, week_issue, week_task
from tracking.services.weekly_logs import weekly_log_draft

pytestmark = pytest.mark.django_db

# (tasks, values in the week)
SIZES = [(10, 100), (1000, 50_000)]


def _week_with(tasks: int, values: int):
    campaign = week_campaign()
    many_tasks(campaign, tasks)
    many_values(campaign, values)
    blocked = week_task(campaign, status=TaskStatus.BLOCKED, reason="设计素材未到位")
    week_issue(campaign, tasks=[blocked], temporary_measure="加急", owner=campaign.owner)
    open_alert(ThresholdFactory(target=campaign.targets.get()))
    return campaign


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


@pytest.mark.parametrize(("tasks", "values"), SIZES)
def test_drafting_a_log_takes_a_fixed_number_of_queries(tasks, values):
    campaign = _week_with(tasks, values)

    count = _queries(lambda: weekly_log_draft(campaign=campaign, monday=WEEK, today=FRIDAY))

    # The week's reads (stages, tasks, overdue by stage, blocked, alerts and issues opened with
    # the issues' tasks, next week's tasks, open alerts, goals, the ranking's metrics and
    # figures), the existing-log check, and the writes (savepoint, log, rows and their history);
    # the alerts' thresholds come in a query of their own (tracking.selectors.alert_queryset).
    assert count == 20


def test_the_log_page_and_the_review_pages_run_the_same_queries_at_both_sizes(client, count_queries):
    counts = []
    for tasks, values in SIZES:
        campaign = _week_with(tasks, values // 50)
        log = draft(campaign)
        client.force_login(campaign.owner)
        pages = [
            lambda log=log: client.get(log.get_absolute_url()),
            lambda campaign=campaign: client.get(
                reverse("tracking:campaign_review", args=[campaign.pk]), {"week": "2026-W24"}
            ),
            lambda campaign=campaign: client.get(
                reverse("tracking:plan_review", args=[campaign.plan.pk]), {"week": "2026-W24"}
            ),
        ]
        counts.append([count_queries(page) for page in pages])

    assert counts[0] == counts[1]
    assert counts[0][:2] == [13, 18]
