"""Deadlines count: an issue past its deadline (完成时限) is in its owner's daily digest, and its
owner and the department's lead are told once when it becomes overdue (once per deadline: a
deadline moved later and missed again is told again)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from notifications.models import Notification
from tracking import jobs
from tracking.models import Issue, IssueState, NotificationKind
from tracking.services.digest import digest_items, send_daily_digests
from tracking.services.issues import issue_set_state, issue_update, notify_overdue_issues

pytestmark = pytest.mark.django_db

# 14 June 2026, 09:00 in the site's time zone.
NOW = datetime(2026, 6, 14, 9, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))


def told(kind=NotificationKind.ISSUE_OVERDUE):
    return sorted(n.recipient.username for n in Notification.objects.filter(kind=kind).select_related("recipient"))


def test_a_deadline_today_is_not_overdue_and_yesterday_is(issue):
    Issue.objects.filter(pk=issue.pk).update(deadline=date(2026, 6, 14))
    assert notify_overdue_issues(now=NOW) == 0
    assert told() == []

    Issue.objects.filter(pk=issue.pk).update(deadline=date(2026, 6, 13))
    assert notify_overdue_issues(now=NOW) == 1
    assert told() == ["issue_owner", "lead"]


def test_the_owner_and_the_lead_are_told_once(issue):
    Issue.objects.filter(pk=issue.pk).update(deadline=date(2026, 6, 13))
    notify_overdue_issues(now=NOW)
    assert notify_overdue_issues(now=NOW) == 0
    assert jobs.notify_overdue_issues() == 0  # the job, on the real clock (past June), finds it told
    assert told() == ["issue_owner", "lead"]
    notification = Notification.objects.filter(kind=NotificationKind.ISSUE_OVERDUE).first()
    assert notification.url == issue.get_absolute_url()
    assert "2026-06-13" in notification.body


def test_a_deadline_moved_later_and_missed_again_is_told_again(issue, manager):
    Issue.objects.filter(pk=issue.pk).update(deadline=date(2026, 6, 13))
    notify_overdue_issues(now=NOW)

    issue.refresh_from_db()
    issue_update(issue=issue, by=manager, deadline=date(2026, 6, 16))
    issue.refresh_from_db()
    assert issue.overdue_notified_at is None
    assert notify_overdue_issues(now=NOW) == 0  # not yet past the new deadline

    later = NOW.replace(day=17)
    assert notify_overdue_issues(now=later) == 1
    assert told().count("lead") == 2


def test_an_unchanged_deadline_keeps_the_mark(issue, manager):
    Issue.objects.filter(pk=issue.pk).update(deadline=date(2026, 6, 13))
    notify_overdue_issues(now=NOW)
    issue.refresh_from_db()
    issue_update(issue=issue, by=manager, root_cause="人手不足")
    issue.refresh_from_db()
    assert issue.overdue_notified_at is not None
    assert notify_overdue_issues(now=NOW) == 0


def test_a_resolved_issue_is_never_overdue(issue, manager):
    Issue.objects.filter(pk=issue.pk).update(deadline=date(2026, 6, 1))
    issue_set_state(issue=issue, by=manager, state=IssueState.RESOLVED)
    assert notify_overdue_issues(now=NOW) == 0


def test_the_job_is_on_the_beat_schedule():
    assert any(entry["task"] == "tracking.notify_overdue_issues" for entry in settings.CELERY_BEAT_SCHEDULE.values())


def test_the_owners_digest_lists_the_issues_past_their_deadline(issue, frozen):
    Issue.objects.filter(pk=issue.pk).update(deadline=date(2026, 6, 13))
    assert [i.pk for i in digest_items(today=date(2026, 6, 14))[issue.owner_id].issues] == [issue.pk]
    assert issue.owner_id not in digest_items(today=date(2026, 6, 13))

    send_daily_digests(now=NOW)
    digest = Notification.objects.get(kind=NotificationKind.DIGEST, recipient=issue.owner)
    assert "1 issue past its deadline" in digest.title
    assert "设计素材未到位" in digest.body
