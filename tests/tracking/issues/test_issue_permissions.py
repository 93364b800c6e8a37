"""Who reads and changes an issue, the same in the pages and the API, for every role:
managers and the campaign's owner manage; the department's lead and the issue's owner update;
the affected tasks' Responsible and Accountable propose the temporary measure only; executives
and viewers read; anyone else does not see it."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.api import ids, url
from tests.factories import DepartmentFactory
from tracking.models import IssueState

pytestmark = pytest.mark.django_db

MANAGE, UPDATE, PROPOSE, READ, NONE = "manage", "update", "propose", "read", "none"


@pytest.fixture
def people(manager, owner, lead, issue_owner, doer, approver, make_user):
    other_lead = make_user(Role.DEPARTMENT_LEAD, username="other_lead")
    DepartmentFactory(name="销售部", lead=other_lead)
    return {
        "manager": (manager, MANAGE),
        "campaign owner": (owner, MANAGE),
        "department lead": (lead, UPDATE),
        "issue owner": (issue_owner, UPDATE),
        "responsible": (doer, PROPOSE),
        "accountable": (approver, PROPOSE),
        "executive": (make_user(Role.EXECUTIVE), READ),
        "viewer": (make_user(Role.VIEWER), READ),
        "another department's lead": (other_lead, NONE),
        "unrelated staff": (make_user(Role.STAFF), NONE),
    }


WHO = [
    "manager",
    "campaign owner",
    "department lead",
    "issue owner",
    "responsible",
    "accountable",
    "executive",
    "viewer",
    "another department's lead",
    "unrelated staff",
]


@pytest.mark.parametrize("who", WHO)
def test_pages(client, people, issue, who):
    user, level = people[who]
    client.force_login(user)

    detail = client.get(issue.get_absolute_url())
    listed = f'data-issue="{issue.pk}"' in client.get(reverse("tracking:issue_list")).content.decode()
    edit = client.get(reverse("tracking:issue_edit", args=[issue.pk]))
    state = client.post(reverse("tracking:issue_state", args=[issue.pk]), {"state": "mitigated"})
    issue.refresh_from_db()

    assert detail.status_code == (404 if level == NONE else 200)
    assert listed == (level != NONE)
    assert edit.status_code == {MANAGE: 200, UPDATE: 200, NONE: 404}.get(level, 403)
    assert state.status_code == {MANAGE: 302, UPDATE: 302, NONE: 404}.get(level, 403)
    assert (issue.state == IssueState.MITIGATED) == (level in (MANAGE, UPDATE))


@pytest.mark.parametrize("who", WHO)
def test_proposing_the_temporary_measure(client, people, issue, who):
    user, level = people[who]
    client.force_login(user)
    page = client.get(issue.get_absolute_url()).content.decode() if level != NONE else ""

    response = client.post(reverse("tracking:issue_measure", args=[issue.pk]), {"temporary_measure": "先用旧素材"})

    issue.refresh_from_db()
    assert response.status_code == {NONE: 404, READ: 403}.get(level, 302)
    assert (issue.temporary_measure == "先用旧素材") == (level in (MANAGE, UPDATE, PROPOSE))
    assert ('id="issue-propose"' in page) == (level == PROPOSE)


@pytest.mark.parametrize("who", WHO)
def test_api(client_as, people, issue, who):
    user, level = people[who]
    api = client_as(user)

    detail = api.get(url("issue-detail", issue.pk))
    listed = issue.pk in ids(api.get(url("issue-list")))
    measure = api.patch(url("issue-detail", issue.pk), {"temporary_measure": "先用旧素材"}, format="json")
    cause = api.patch(url("issue-detail", issue.pk), {"root_cause": "人手不足"}, format="json")
    state = api.post(url("issue-state", issue.pk), {"state": "mitigated"}, format="json")
    issue.refresh_from_db()

    assert detail.status_code == (404 if level == NONE else 200)
    assert listed == (level != NONE)
    assert measure.status_code == {NONE: 404, READ: 403}.get(level, 200)
    assert cause.status_code == {MANAGE: 200, UPDATE: 200, NONE: 404}.get(level, 403)
    assert state.status_code == {MANAGE: 200, UPDATE: 200, NONE: 404}.get(level, 403)
    assert (issue.root_cause == "人手不足") == (level in (MANAGE, UPDATE))


def test_a_read_only_token_reads_and_never_writes(client_as, issue):
    api = client_as("token")
    assert issue.pk in ids(api.get(url("issue-list")))
    assert api.patch(url("issue-detail", issue.pk), {"temporary_measure": "x"}, format="json").status_code == 403


def test_a_department_lead_records_issues_for_their_department_only(client, lead, department, campaign):
    client.force_login(lead)
    data = {"description": "问题", "occurred_at": "2026-06-08T10:00", "severity": "warning"}

    other = client.post(
        reverse("tracking:issue_create", args=[campaign.pk]), {**data, "department": DepartmentFactory().pk}
    )
    assert other.status_code == 400
    assert "department" in other.context["form"].errors
    mine = client.post(reverse("tracking:issue_create", args=[campaign.pk]), {**data, "department": department.pk})
    assert mine.status_code == 302


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE, Role.VIEWER])
def test_people_without_a_department_to_lead_do_not_record_issues(client, client_as, make_user, campaign, role):
    user = make_user(role)
    client.force_login(user)
    assert client.get(reverse("tracking:issue_create", args=[campaign.pk])).status_code == 403
    created = client_as(user).post(
        url("issue-list"),
        {"campaign": campaign.pk, "description": "x", "occurred_at": "2026-06-08T10:00:00+08:00"},
        format="json",
    )
    assert created.status_code == 403
