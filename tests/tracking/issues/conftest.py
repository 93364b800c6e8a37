"""The people and rows the issue register's tests share: a campaign owned by a staff member,
a department with its lead, a task of the campaign with its Responsible and Accountable, and
an issue of that department affecting that task, with its owner."""

from datetime import date

import pytest

from accounts.models import Role
from tests.factories import CampaignFactory, DepartmentFactory, StageFactory, TaskFactory
from tests.factories.issues import JUNE_8, IssueFactory


@pytest.fixture
def owner(make_user):
    """The campaign's owner, in the staff role (not a marketing manager)."""
    return make_user(Role.STAFF, username="owner")


@pytest.fixture
def lead(make_user):
    return make_user(Role.DEPARTMENT_LEAD, username="lead")


@pytest.fixture
def department(lead):
    return DepartmentFactory(name="设计部", lead=lead)


@pytest.fixture
def campaign(owner):
    return CampaignFactory(owner=owner, name="618 大促")


@pytest.fixture
def doer(make_user, department):
    """A staff member of the department, Responsible for the task."""
    return make_user(Role.STAFF, username="doer", department=department)


@pytest.fixture
def approver(make_user):
    return make_user(Role.STAFF, username="approver")


@pytest.fixture
def task(campaign, doer, approver):
    return TaskFactory(
        stage=StageFactory(campaign=campaign), name="新品详情页上线", responsible=doer, accountable=approver
    )


@pytest.fixture
def issue_owner(make_user):
    return make_user(Role.STAFF, username="issue_owner")


@pytest.fixture
def issue(campaign, department, task, issue_owner):
    return IssueFactory(
        campaign=campaign,
        description="设计素材未到位",
        department=department,
        owner=issue_owner,
        affected_tasks=[task],
        deadline=date(2026, 6, 20),
    )


@pytest.fixture
def occurred():
    return JUNE_8
