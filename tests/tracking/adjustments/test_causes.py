"""A request links to the alerts and issues that led to it: its page lists each with a link to
the alert's or issue's page, and the campaign's list links them too, in fixed queries."""

import pytest
from django.urls import reverse

from tests.factories import TargetFactory, ThresholdFactory, open_alert
from tests.factories.adjustments import request_budget
from tests.factories.weekly import week_issue

pytestmark = pytest.mark.django_db


def _caused(campaign, n: int = 1):
    adjustment = request_budget(campaign)
    alerts = [
        open_alert(ThresholdFactory(target=TargetFactory(campaign=campaign)), summary=f"Units at {60 + i}%")
        for i in range(n)
    ]
    issues = [week_issue(campaign, description=f"Stock runs out {i}") for i in range(n)]
    adjustment.alerts.set(alerts)
    adjustment.issues.set(issues)
    return adjustment, alerts, issues


def test_the_request_page_links_the_alerts_and_issues_that_led_to_it(client, manager, campaign):
    adjustment, [alert], [issue] = _caused(campaign)
    client.force_login(manager)

    page = client.get(adjustment.get_absolute_url()).content.decode()

    causes = page[page.index('id="adjustment-causes"') :]
    assert f'href="{alert.get_absolute_url()}"' in causes
    assert f'href="{issue.get_absolute_url()}"' in causes
    assert "Stock runs out 0" in causes


def test_the_campaigns_list_links_them_too(client, manager, campaign):
    adjustment, [alert], [issue] = _caused(campaign)
    client.force_login(manager)

    page = client.get(reverse("tracking:campaign_adjustments", args=[campaign.pk])).content.decode()

    item = page[page.index(f'data-adjustment="{adjustment.pk}"') :]
    assert f'href="{alert.get_absolute_url()}"' in item
    assert f'href="{issue.get_absolute_url()}"' in item


def test_the_pages_run_the_same_queries_for_1_and_5_causes(client, count_queries, manager, campaign):
    client.force_login(manager)
    one, *_ = _caused(campaign, 1)
    many, *_ = _caused(campaign, 5)
    assert count_queries(lambda: client.get(one.get_absolute_url())) == count_queries(
        lambda: client.get(many.get_absolute_url())
    )
    page = reverse("tracking:campaign_adjustments", args=[campaign.pk])
    small = count_queries(lambda: client.get(page))
    _caused(campaign, 5)
    assert count_queries(lambda: client.get(page)) == small
