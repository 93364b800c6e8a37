"""/api/v1/issues/: filters, writes through the services, bad input as 400 naming the field,
the state action, one click from an alert, and acknowledging an alert with its issue."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.api import ids, url
from tests.factories import CampaignFactory, StageFactory, TargetFactory, TaskFactory, attainment_threshold, open_alert
from tests.factories.issues import IssueFactory
from tracking.models import AlertState, Issue, IssueState

pytestmark = pytest.mark.django_db


def test_the_list_filters(client_as, manager, issue, department, issue_owner, frozen):
    late = IssueFactory(campaign=CampaignFactory(), deadline=date(2026, 6, 13))
    today = IssueFactory(campaign=issue.campaign, deadline=date(2026, 6, 14), state=IssueState.MITIGATED)
    done = IssueFactory(campaign=issue.campaign, deadline=date(2026, 6, 1), state=IssueState.RESOLVED)
    api = client_as(manager)

    def listed(**params):
        return ids(api.get(url("issue-list"), params))

    assert listed() == sorted([issue.pk, late.pk, today.pk, done.pk])
    assert listed(campaign=late.campaign_id) == [late.pk]
    assert listed(state="unresolved") == sorted([issue.pk, late.pk, today.pk])
    assert listed(state="resolved") == [done.pk]
    assert listed(department=department.pk) == [issue.pk]
    assert listed(owner=issue_owner.pk) == [issue.pk]
    assert listed(overdue="true") == [late.pk]
    assert listed(overdue="false") == sorted([issue.pk, today.pk, done.pk])
    row = next(r for r in api.get(url("issue-list")).json()["results"] if r["id"] == late.pk)
    assert row["overdue"] is True


def test_updated_after_gives_the_issues_changed_since(client_as, manager, issue):
    since = timezone.now()
    Issue.objects.filter(pk=issue.pk).update(updated_at=since - timedelta(hours=1))
    changed = IssueFactory(campaign=issue.campaign)
    assert ids(client_as(manager).get(url("issue-list"), {"updated_after": since.isoformat()})) == [changed.pk]


def test_a_bad_filter_is_a_400_naming_it(client_as, manager):
    response = client_as(manager).get(url("issue-list"), {"owner": "²", "state": "gone"})
    assert response.status_code == 400
    assert {"owner", "state"} <= set(response.json())


def test_an_issue_is_recorded_with_its_tasks(client_as, manager, campaign, task, department):
    response = client_as(manager).post(
        url("issue-list"),
        {
            "campaign": campaign.pk,
            "description": "设计素材未到位",
            "occurred_at": "2026-06-08T10:00:00+08:00",
            "affected_tasks": [task.pk],
            "department": department.pk,
            "deadline": "2026-06-12",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["affected_tasks"], body["state"], body["severity"]) == ([task.pk], "open", "warning")
    assert Issue.objects.get().created_by == manager


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"deadline": "2026-06-07"}, "deadline"),
        ({"occurred_at": "1999-06-08T10:00:00+08:00"}, "occurred_at"),
        ({"description": ""}, "description"),
        ({"affected_tasks": ["²"]}, "affected_tasks"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(client_as, manager, campaign, fields, field):
    data = {"campaign": campaign.pk, "description": "x", "occurred_at": "2026-06-08T10:00:00+08:00", **fields}
    response = client_as(manager).post(url("issue-list"), data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Issue.objects.exists()


def test_a_task_of_another_campaign_is_a_400(client_as, manager, issue):
    stranger = TaskFactory(stage=StageFactory(campaign=CampaignFactory()))
    response = client_as(manager).patch(url("issue-detail", issue.pk), {"affected_tasks": [stranger.pk]}, format="json")
    assert response.status_code == 400
    assert "affected_tasks" in response.json()
    assert stranger not in issue.affected_tasks.all()


def test_the_campaign_of_an_issue_does_not_change(client_as, manager, issue):
    other = CampaignFactory()
    client_as(manager).patch(url("issue-detail", issue.pk), {"campaign": other.pk}, format="json")
    issue.refresh_from_db()
    assert issue.campaign_id != other.pk


def test_the_state_action_needs_a_reason_to_reopen(client_as, manager, issue):
    api = client_as(manager)
    assert api.post(url("issue-state", issue.pk), {"state": "resolved"}, format="json").json()["resolved_at"]
    refused = api.post(url("issue-state", issue.pk), {"state": "open"}, format="json")
    assert refused.status_code == 400
    assert "state_reason" in refused.json()
    reopened = api.post(url("issue-state", issue.pk), {"state": "open", "reason": "又出现"}, format="json")
    assert (reopened.json()["state"], reopened.json()["state_reason"]) == ("open", "又出现")


def test_from_alert_records_the_issue_once(client_as, manager, campaign):
    alert = open_alert(attainment_threshold(TargetFactory(campaign=campaign, target_value=Decimal("30000"))))
    api = client_as(manager)
    first = api.post(url("issue-from-alert"), {"alert": alert.pk}, format="json")
    second = api.post(url("issue-from-alert"), {"alert": alert.pk}, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["alerts"] == [alert.pk]


def test_acknowledging_an_alert_can_name_its_issue(client_as, manager, issue):
    alert = open_alert(attainment_threshold(TargetFactory(campaign=issue.campaign)))
    response = client_as(manager).post(url("alert-acknowledge", alert.pk), {"issue": issue.pk}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["issue"], response.json()["state"]) == (issue.pk, AlertState.ACKNOWLEDGED)
