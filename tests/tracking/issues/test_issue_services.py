"""Recording and changing issues through the services: the rules at their boundaries, the
state's moves and the history."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from tests.factories import CampaignFactory, StageFactory, TaskFactory
from tracking.models import Issue, IssueState
from tracking.services.issues import issue_create, issue_set_state, issue_update

pytestmark = pytest.mark.django_db


def test_an_issue_is_recorded_with_its_columns_and_its_author(campaign, task, department, manager, occurred):
    issue = issue_create(
        campaign=campaign,
        description="  设计素材未到位  ",
        occurred_at=occurred,
        affected_tasks=[task],
        department=department,
        deadline=date(2026, 6, 12),
        by=manager,
    )

    issue.refresh_from_db()
    assert issue.description == "设计素材未到位"
    assert list(issue.affected_tasks.all()) == [task]
    assert issue.created_by == manager
    assert issue.state == IssueState.OPEN
    assert issue.history.first().history_user == manager


def test_a_deadline_on_the_day_of_the_occurrence_is_accepted_and_the_day_before_is_refused(campaign, manager, occurred):
    issue_create(campaign=campaign, description="a", occurred_at=occurred, deadline=occurred.date(), by=manager)

    with pytest.raises(ValidationError) as refused:
        issue_create(
            campaign=campaign,
            description="b",
            occurred_at=occurred,
            deadline=occurred.date() - timedelta(days=1),
            by=manager,
        )
    assert "deadline" in refused.value.message_dict
    assert "before the problem occurred" in refused.value.message_dict["deadline"][0]
    assert Issue.objects.count() == 1


def test_the_occurrence_is_read_on_the_sites_calendar(campaign, manager):
    """23:30 UTC on 7 June is already 8 June in Shanghai: a deadline of 8 June is not before it."""
    late = datetime(2026, 6, 7, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert settings.TIME_ZONE == "Asia/Shanghai"
    issue_create(campaign=campaign, description="a", occurred_at=late, deadline=date(2026, 6, 8), by=manager)


def test_a_task_of_another_campaign_is_refused_naming_it(campaign, task, manager, occurred):
    stranger = TaskFactory(stage=StageFactory(campaign=CampaignFactory()), name="别的任务")

    with pytest.raises(ValidationError) as refused:
        issue_create(
            campaign=campaign, description="a", occurred_at=occurred, affected_tasks=[task, stranger], by=manager
        )
    assert "别的任务" in refused.value.message_dict["affected_tasks"][0]
    assert not Issue.objects.exists()


def test_dates_outside_the_window_are_refused(campaign, manager, occurred):
    with pytest.raises(ValidationError) as refused:
        issue_create(
            campaign=campaign,
            description="a",
            occurred_at=occurred.replace(year=1999),
            deadline=date(2101, 1, 1),
            by=manager,
        )
    assert set(refused.value.message_dict) == {"occurred_at", "deadline"}


def test_an_empty_description_is_refused(campaign, manager, occurred):
    with pytest.raises(ValidationError) as refused:
        issue_create(campaign=campaign, description="   ", occurred_at=occurred, by=manager)
    assert "description" in refused.value.message_dict


def test_an_update_keeps_who_changed_what(issue, lead):
    issue_update(issue=issue, by=lead, temporary_measure="先用旧素材上线")

    latest = issue.history.first()
    assert latest.history_user == lead
    assert latest.temporary_measure == "先用旧素材上线"
    assert latest.prev_record.temporary_measure == ""


def test_an_update_refuses_a_deadline_before_the_occurrence_and_saves_nothing(issue, lead):
    with pytest.raises(ValidationError):
        issue_update(issue=issue, by=lead, deadline=date(2026, 6, 7), temporary_measure="x")
    issue.refresh_from_db()
    assert (issue.deadline, issue.temporary_measure) == (date(2026, 6, 20), "")


def test_resolving_records_when_and_reopening_needs_a_reason(issue, lead):
    issue_set_state(issue=issue, by=lead, state=IssueState.MITIGATED)
    issue_set_state(issue=issue, by=lead, state=IssueState.RESOLVED, reason="素材已到位")
    assert issue.resolved_at is not None

    with pytest.raises(ValidationError) as refused:
        issue_set_state(issue=issue, by=lead, state=IssueState.OPEN, reason="  ")
    assert "state_reason" in refused.value.message_dict
    issue.refresh_from_db()
    assert issue.state == IssueState.RESOLVED

    issue_set_state(issue=issue, by=lead, state=IssueState.OPEN, reason="新素材又有问题")
    issue.refresh_from_db()
    assert (issue.state, issue.state_reason, issue.resolved_at) == (IssueState.OPEN, "新素材又有问题", None)
    reasons = [record.state_reason for record in issue.history.order_by("history_date")]
    assert reasons[-2:] == ["素材已到位", "新素材又有问题"]


def test_mitigated_issues_reopen_without_a_reason(issue, lead):
    """Only a resolved issue needs a reason to reopen."""
    issue_set_state(issue=issue, by=lead, state=IssueState.MITIGATED)
    issue_set_state(issue=issue, by=lead, state=IssueState.OPEN)
    assert issue.state == IssueState.OPEN


def test_the_same_state_is_refused(issue, lead):
    with pytest.raises(ValidationError) as refused:
        issue_set_state(issue=issue, by=lead, state=IssueState.OPEN)
    assert "state" in refused.value.message_dict
