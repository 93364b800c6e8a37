"""The department lead's dashboard lists their department's issues, each linked to its page,
the ones past their deadline in red, with a link to the register."""

from datetime import date

import pytest

from tests.factories.issues import IssueFactory

pytestmark = pytest.mark.django_db


def test_the_leads_dashboard_links_each_issue_and_shows_the_overdue_ones_red(client, lead, department, issue, frozen):
    late = IssueFactory(campaign=issue.campaign, department=department, deadline=date(2026, 6, 13))
    client.force_login(lead)

    page = client.get("/").content.decode()
    section = page[page.index('id="department-issues"') :]

    assert f'href="{issue.get_absolute_url()}"' in section
    assert f'href="{late.get_absolute_url()}"' in section
    assert section.count("list-group-item-danger") == 1
    assert section.index(late.get_absolute_url()) < section.index(issue.get_absolute_url())  # nearest deadline first
    assert f"/issues/?department={department.pk}" in section
