"""The draft of a weekly progress log writes itself from the week's data (form 2's columns)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from tasks.models import TaskStatus
from tests.factories import ThresholdFactory, channel, open_alert
from tests.factories.weekly import (
    FRIDAY,
    WEEK,
    daily_sales,
    draft,
    week_campaign,
    week_issue,
    week_task,
)
from tracking.models import WeeklyLog, WeeklyLogRow, WeeklyLogState
from tracking.services.weekly_logs import weekly_log_draft

pytestmark = pytest.mark.django_db


def test_a_draft_has_one_row_per_stage_in_order():
    campaign = week_campaign()

    log = draft(campaign)

    assert log.state == WeeklyLogState.DRAFT
    assert log.week == WEEK
    assert log.revision == 1
    assert [row.stage_name for row in log.rows.order_by("position")] == ["Warm-up", "Launch and promotion"]


def test_planned_tasks_are_those_active_or_due_in_the_week_with_done_of_total():
    campaign = week_campaign()
    week_task(campaign, name="Post 1", status=TaskStatus.DONE)
    week_task(campaign, name="Post 2", due=WEEK, status=TaskStatus.IN_PROGRESS)
    week_task(campaign, name="Long task", due=WEEK + timedelta(days=20), start_date=WEEK - timedelta(days=3))
    week_task(campaign, name="Next week", due=WEEK + timedelta(days=7))
    week_task(campaign, name="Last week", due=WEEK - timedelta(days=1))

    row = draft(campaign).rows.get(position=0)

    assert row.planned_tasks.splitlines()[0] == "1 of 3 done"
    assert "Post 1" in row.planned_tasks
    assert "Post 2" in row.planned_tasks
    assert "Long task" in row.planned_tasks
    assert "Next week" not in row.planned_tasks
    assert "Last week" not in row.planned_tasks
    assert row.completion.startswith("Done 1 / 3 (33%)")


def test_a_task_due_on_sunday_is_in_the_week_and_one_due_next_monday_is_next_weeks_focus():
    campaign = week_campaign()
    week_task(campaign, name="Sunday task", due=WEEK + timedelta(days=6))
    week_task(campaign, name="Monday task", due=WEEK + timedelta(days=7))

    row = draft(campaign).rows.get(position=0)

    assert "Sunday task" in row.planned_tasks
    assert "Monday task" not in row.planned_tasks
    assert "Monday task" in row.next_focus
    assert "Sunday task" not in row.next_focus


def test_key_figures_give_the_weeks_total_its_change_and_attainment_against_pace():
    campaign = week_campaign()
    week_task(campaign)
    daily_sales(campaign, start=WEEK - timedelta(days=7), days=7, value="700")
    daily_sales(campaign, start=WEEK, days=7, value="1000")

    row = draft(campaign).rows.get(position=0)

    # 7,000 this week, 4,900 the week before; 11,900 of 30,000 by 14 June is 39.7%, 14 of 30 days due (46.7%).
    assert "Units sold: 7,000 this week (+2,100 on last week)" in row.key_figures
    assert "attainment 39.7% against 46.7% due, at risk" in row.key_figures


def test_problems_and_measures_come_from_blocked_tasks_issues_and_alerts(frozen):
    campaign = week_campaign()
    blocked = week_task(campaign, stage=1, name="Tweet 2", status=TaskStatus.BLOCKED, reason="design material late")
    week_issue(campaign, tasks=[blocked], temporary_measure="Ask the design lead to expedite", owner=campaign.owner)
    open_alert(ThresholdFactory(target=campaign.targets.get()), summary="Online sales at 60% of target")

    rows = {row.position: row for row in draft(campaign).rows.all()}

    assert "Tweet 2 is blocked: design material late" in rows[1].problems
    assert "Issue: Design material arrives late" in rows[1].problems
    assert f"Ask the design lead to expedite — {campaign.owner.display_name}" in rows[1].measures
    # Alerts go to the stage under way: the first with tasks in the week.
    assert "Alert: Online sales at 60% of target" in rows[1].problems
    assert "Follow up the alert: Online sales at 60% of target" in rows[1].next_focus
    assert rows[0].problems == rows[0].next_focus == ""


def test_drafting_twice_returns_the_same_log():
    campaign = week_campaign()
    first, created = weekly_log_draft(campaign=campaign, monday=WEEK, today=FRIDAY)
    again, created_again = weekly_log_draft(campaign=campaign, monday=WEEK + timedelta(days=3), today=FRIDAY)

    assert created
    assert not created_again
    assert again.pk == first.pk
    assert WeeklyLog.objects.count() == 1
    assert WeeklyLogRow.objects.count() == 2


@pytest.mark.parametrize(
    ("monday", "drafted"),
    [
        (WEEK - timedelta(days=14), False),  # 25–31 May: ends the day before the campaign starts
        (WEEK - timedelta(days=7), True),  # 1–7 June: the campaign's first week
        (WEEK + timedelta(days=21), True),  # 29 June – 5 July: holds the campaign's last two days
        (WEEK + timedelta(days=28), False),  # 6–12 July: after its end
    ],
)
def test_a_week_with_no_day_in_the_campaign_is_refused_naming_the_week(monday, drafted):
    campaign = week_campaign()

    if drafted:
        assert draft(campaign, monday=monday).week == monday
        return
    with pytest.raises(ValidationError) as refused:
        draft(campaign, monday=monday)
    assert "no day in the campaign" in refused.value.message_dict["week"][0]
    assert not WeeklyLog.objects.exists()


def test_the_ranking_channels_are_not_in_the_figures_of_other_campaigns():
    campaign, other = week_campaign(), week_campaign()
    daily_sales(other, start=WEEK, days=2, value="5", via="ecommerce")
    assert channel("ecommerce")

    log = draft(campaign)

    assert "Units sold: – this week" in log.rows.get(position=0).key_figures
