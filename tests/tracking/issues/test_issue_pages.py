"""The register pages, an issue's page with its history, and the forms: what they show, and
bad input answered next to its field with nothing saved."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import CampaignFactory, StageFactory, TaskFactory
from tests.factories.issues import IssueFactory
from tracking.models import Issue, IssueState
from tracking.services.issues import issue_set_state, issue_update

pytestmark = pytest.mark.django_db


def form_data(**fields) -> dict:
    data = {
        "description": "设计素材未到位",
        "occurred_at": "2026-06-08T10:00",
        "affected_tasks": [],
        "department": "",
        "temporary_measure": "",
        "root_cause": "",
        "long_term_solution": "",
        "deadline": "",
        "owner": "",
        "severity": "warning",
    }
    data.update(fields)
    return data


def test_the_campaigns_register_lists_its_issues_in_the_templates_columns(client, manager, issue, frozen):
    IssueFactory(description="另一个方案的问题")
    client.force_login(manager)
    page = client.get(reverse("tracking:campaign_issues", args=[issue.campaign_id])).content.decode()

    assert "设计素材未到位" in page
    assert "另一个方案的问题" not in page
    for column in ("Problem description", "Occurred at", "Responsible department", "Temporary measure", "Deadline"):
        assert f"<th>{column}</th>" in page
    assert "新品详情页上线" in page


def test_the_campaign_page_links_to_its_register(client, manager, campaign):
    client.force_login(manager)
    section = client.get(reverse("tracking:campaign_alerts", args=[campaign.pk])).content.decode()
    assert reverse("tracking:campaign_issues", args=[campaign.pk]) in section


def test_an_issue_past_its_deadline_is_red_and_one_due_today_is_not(client, manager, campaign, frozen):
    """Frozen on 14 June: a deadline of 13 June is past, one of 14 June is not yet."""
    late = IssueFactory(campaign=campaign, description="过期的问题", deadline=date(2026, 6, 13))
    today = IssueFactory(campaign=campaign, description="今天到期", deadline=date(2026, 6, 14))
    resolved = IssueFactory(
        campaign=campaign, description="已解决的", deadline=date(2026, 6, 1), state=IssueState.RESOLVED
    )
    client.force_login(manager)

    page = client.get(reverse("tracking:issue_list"), {"state": "all"}).content.decode()

    assert f'class="table-danger issue-overdue" data-issue="{late.pk}"' in page
    assert f'class="" data-issue="{today.pk}"' in page
    assert f'class="" data-issue="{resolved.pk}"' in page
    assert "overdue-notice" in client.get(late.get_absolute_url()).content.decode()
    assert "overdue-notice" not in client.get(today.get_absolute_url()).content.decode()


def test_the_register_across_campaigns_filters(client, manager, issue, department, issue_owner, frozen):
    other = IssueFactory(campaign=CampaignFactory(), description="别的部门的问题", deadline=date(2026, 6, 1))
    client.force_login(manager)

    def listed(**params):
        page = client.get(reverse("tracking:issue_list"), params).content.decode()
        return {pk for pk in (issue.pk, other.pk) if f'data-issue="{pk}"' in page}

    assert listed() == {issue.pk, other.pk}
    assert listed(department=department.pk) == {issue.pk}
    assert listed(owner=issue_owner.pk) == {issue.pk}
    assert listed(overdue="yes") == {other.pk}
    assert listed(overdue="no") == {issue.pk}
    assert listed(campaign=other.campaign_id) == {other.pk}
    issue_set_state(issue=issue, by=manager, state=IssueState.RESOLVED)
    assert listed() == {other.pk}
    assert listed(state="resolved") == {issue.pk}


def test_an_issue_is_recorded_from_the_form(client, manager, campaign, task, department):
    client.force_login(manager)
    response = client.post(
        reverse("tracking:issue_create", args=[campaign.pk]),
        form_data(affected_tasks=[task.pk], department=department.pk, deadline="2026-06-12"),
    )
    issue = Issue.objects.get()
    assert response["Location"] == issue.get_absolute_url()
    assert (issue.created_by, list(issue.affected_tasks.all()), issue.deadline) == (
        manager,
        [task],
        date(2026, 6, 12),
    )


def test_a_deadline_before_the_occurrence_is_shown_on_its_field_and_nothing_is_saved(client, manager, campaign):
    client.force_login(manager)
    response = client.post(reverse("tracking:issue_create", args=[campaign.pk]), form_data(deadline="2026-06-07"))

    assert response.status_code == 400
    assert "deadline" in response.context["form"].errors
    assert "before the problem occurred" in response.content.decode()
    assert not Issue.objects.exists()


def test_a_task_of_another_campaign_is_refused_on_its_field(client, manager, campaign):
    stranger = TaskFactory(stage=StageFactory(campaign=CampaignFactory()), name="别的任务")
    client.force_login(manager)
    response = client.post(
        reverse("tracking:issue_create", args=[campaign.pk]), form_data(affected_tasks=[stranger.pk])
    )
    assert response.status_code == 400
    assert "affected_tasks" in response.context["form"].errors
    assert not Issue.objects.exists()


def test_a_date_outside_the_window_is_refused(client, manager, campaign):
    client.force_login(manager)
    response = client.post(
        reverse("tracking:issue_create", args=[campaign.pk]), form_data(occurred_at="1999-06-08T10:00")
    )
    assert response.status_code == 400
    assert "occurred_at" in response.context["form"].errors
    assert not Issue.objects.exists()


def test_editing_saves_the_columns_and_the_history_shows_who_changed_what(client, manager, issue):
    client.force_login(manager)
    response = client.post(
        reverse("tracking:issue_edit", args=[issue.pk]),
        form_data(
            description=issue.description,
            affected_tasks=[t.pk for t in issue.affected_tasks.all()],
            department=issue.department_id,
            owner=issue.owner_id,
            deadline="2026-06-25",
            root_cause="设计部人手不足",
        ),
    )
    assert response.status_code == 302
    issue_set_state(issue=issue, by=manager, state=IssueState.RESOLVED, reason="素材已到位")

    page = client.get(issue.get_absolute_url()).content.decode()
    assert "设计部人手不足" in page
    history = page[page.index('id="issue-history"') :]
    assert manager.display_name in history
    assert "2026-06-20" in history
    assert "2026-06-25" in history
    assert "素材已到位" in history


def test_a_bad_edit_saves_nothing(client, manager, issue):
    client.force_login(manager)
    response = client.post(
        reverse("tracking:issue_edit", args=[issue.pk]),
        form_data(description=issue.description, deadline="2026-06-01", root_cause="x"),
    )
    assert response.status_code == 400
    issue.refresh_from_db()
    assert (issue.deadline, issue.root_cause) == (date(2026, 6, 20), "")


def test_reopening_without_a_reason_is_refused_on_the_page(client, manager, issue):
    issue_set_state(issue=issue, by=manager, state=IssueState.RESOLVED)
    client.force_login(manager)
    response = client.post(reverse("tracking:issue_state", args=[issue.pk]), {"state": "open", "state_reason": ""})
    assert response.status_code == 400
    assert "state_reason" in response.context["state_form"].errors
    issue.refresh_from_db()
    assert issue.state == IssueState.RESOLVED


def test_a_moved_deadline_is_kept_in_the_history(issue, lead):
    issue_update(issue=issue, by=lead, deadline=date(2026, 6, 22))
    assert [r.deadline for r in issue.history.order_by("history_date")][-2:] == [date(2026, 6, 20), date(2026, 6, 22)]


def test_the_menu_marks_issues_on_every_issue_page_and_alerts_on_the_alert_pages(client, manager, issue):
    client.force_login(manager)
    active_issues = f'nav-link active" href="{reverse("tracking:issue_list")}"'
    active_alerts = f'nav-link active" href="{reverse("tracking:alert_list")}"'
    for address in (issue.get_absolute_url(), reverse("tracking:campaign_issues", args=[issue.campaign_id])):
        page = client.get(address).content.decode()
        assert active_issues in page
        assert active_alerts not in page
    assert active_alerts in client.get(reverse("tracking:alert_list")).content.decode()
