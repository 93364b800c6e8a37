"""One click from an alert to an issue: prefilled from the alert, linked to it; a second click
goes to the issue; acknowledging an alert can name an issue as its analysis."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from tests.factories import AnnualPlanFactory, TargetFactory, TaskFactory, attainment_threshold, open_alert
from tests.factories.issues import IssueFactory
from tracking.models import Alert, AlertState, Issue, IssueState, Severity, ThresholdKind
from tracking.services.issues import alert_acknowledge_with_issue, issue_create_from_alert
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(campaign, task, doer):
    """An alert on a goal of the campaign, told to the task's Responsible."""
    threshold = attainment_threshold(
        TargetFactory(campaign=campaign, target_value=Decimal("30000")), recipients=[doer], severity=Severity.CRITICAL
    )
    return open_alert(threshold, hours_ago=5, summary="Units sold at 62% of target")


def test_the_issue_is_prefilled_from_the_alert_and_linked_to_it(alert, task, department, manager, campaign):
    TaskFactory(stage=task.stage, name="别人的任务")  # not carried by the people the threshold names
    with translation.override("en"):
        issue, created = issue_create_from_alert(alert=alert, by=manager)

    assert created
    assert issue.description.startswith("Units sold at 62% of target (observed 31,000, expected 40,000)")
    assert issue.occurred_at == alert.opened_at
    assert list(issue.affected_tasks.all()) == [task]
    assert issue.department == department
    assert issue.severity == Severity.CRITICAL
    assert issue.campaign == campaign
    alert.refresh_from_db()
    assert alert.issue == issue


def test_the_description_is_in_the_creators_language(alert, manager):
    alert.summary_zh = "销量达成率 62%"
    alert.save()
    issue, _created = issue_create_from_alert(alert=alert, by=manager, language="zh-hans")
    assert issue.description.startswith("销量达成率 62%")
    assert "3.1万" in issue.description


def test_a_second_click_answers_the_issue_the_alert_already_has(alert, manager):
    first, _created = issue_create_from_alert(alert=alert, by=manager)
    second, created = issue_create_from_alert(alert=alert, by=manager)
    assert (second, created) == (first, False)
    assert Issue.objects.count() == 1


def test_an_overdue_task_alert_takes_only_the_overdue_tasks(campaign, task, manager, frozen):
    done = TaskFactory(stage=task.stage, status="done")
    overdue = TaskFactory(stage=task.stage, due_date=task.due_date.replace(day=2))
    threshold = threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)
    alert = open_alert(threshold)

    issue, _created = issue_create_from_alert(alert=alert, by=manager)

    assert list(issue.affected_tasks.all()) == [overdue]
    assert done not in issue.affected_tasks.all()


def test_a_plan_targets_alert_has_no_campaign_register(manager):
    target = TargetFactory(campaign=None, plan=AnnualPlanFactory())
    alert = open_alert(attainment_threshold(target))
    with pytest.raises(ValidationError) as refused:
        issue_create_from_alert(alert=alert, by=manager)
    assert "alert" in refused.value.message_dict


def test_one_click_on_the_alert_page_records_the_issue_and_opens_its_form(client, alert, manager):
    client.force_login(manager)
    page = client.get(alert.get_absolute_url())
    assert 'id="alert-create-issue"' in page.content.decode()

    response = client.post(reverse("tracking:alert_issue", args=[alert.pk]))

    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tracking:issue_edit", args=[issue.pk])
    again = client.post(reverse("tracking:alert_issue", args=[alert.pk]))
    assert again["Location"] == issue.get_absolute_url()
    assert Issue.objects.count() == 1
    assert f'href="{issue.get_absolute_url()}"' in client.get(alert.get_absolute_url()).content.decode()


def test_the_alert_list_offers_the_button_to_managers_and_the_link_once_there_is_an_issue(client, alert, manager):
    client.force_login(manager)
    listed = client.get(reverse("tracking:alert_list")).content.decode()
    assert reverse("tracking:alert_issue", args=[alert.pk]) in listed

    issue_create_from_alert(alert=alert, by=manager)
    listed = client.get(reverse("tracking:alert_list")).content.decode()
    assert reverse("tracking:alert_issue", args=[alert.pk]) not in listed
    assert reverse("tracking:issue_detail", args=[Alert.objects.get().issue_id]) in listed


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EXECUTIVE, Role.STAFF])
def test_people_who_do_not_answer_the_alert_cannot_turn_it_into_an_issue(client, alert, make_user, role):
    client.force_login(make_user(role))
    assert client.post(reverse("tracking:alert_issue", args=[alert.pk])).status_code == 403
    assert "alert-create-issue" not in client.get(alert.get_absolute_url()).content.decode()
    assert not Issue.objects.exists()


def test_the_people_told_about_the_alert_turn_it_into_an_issue(client, alert, doer):
    client.force_login(doer)
    assert client.post(reverse("tracking:alert_issue", args=[alert.pk])).status_code == 302
    assert Issue.objects.get().created_by == doer


def test_acknowledging_can_name_the_issue_as_the_analysis(client, alert, manager, issue):
    other = open_alert(
        attainment_threshold(TargetFactory(campaign=alert.campaign, target_value=Decimal("30000"))), summary="Other"
    )
    client.force_login(manager)
    response = client.post(
        reverse("tracking:alert_acknowledge", args=[other.pk]), {"analysis_note": "", "issue": issue.pk}
    )

    assert response.status_code == 302
    other.refresh_from_db()
    assert other.state == AlertState.ACKNOWLEDGED
    assert other.issue == issue
    assert f"#{issue.pk}" in other.analysis_note


def test_an_issue_of_another_campaign_cannot_be_the_analysis(alert, manager):

    stranger = IssueFactory()
    with pytest.raises(ValidationError) as refused:
        alert_acknowledge_with_issue(alert=alert, issue=stranger, by=manager)
    assert "alert" in refused.value.message_dict
    alert.refresh_from_db()
    assert (alert.state, alert.issue_id) == (AlertState.OPEN, None)


def test_several_alerts_point_to_one_issue(alert, manager, campaign):
    issue, _created = issue_create_from_alert(alert=alert, by=manager)
    other = open_alert(attainment_threshold(TargetFactory(campaign=campaign)), summary="Other")
    alert_acknowledge_with_issue(alert=other, issue=issue, by=manager, note="同一问题")
    assert set(issue.alerts.values_list("pk", flat=True)) == {alert.pk, other.pk}
    assert issue.state == IssueState.OPEN
