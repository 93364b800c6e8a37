"""The alert list, the notification list, the dashboard and the alert sections run the same
number of queries however many alerts and thresholds there are."""

import pytest
from django.urls import reverse

from tracking.models import ThresholdKind
from tracking.services import alerts, thresholds

from ..factories import BudgetLineFactory, CampaignFactory, TargetFactory, UserFactory, attainment_threshold, open_alert

pytestmark = pytest.mark.django_db


def _fill(campaign, n: int, *, people=()):
    """n thresholds of a campaign (on goals, on its budget or a budget line, some with
    recipients), each with an open alert (some overdue, some acknowledged), and as many
    thresholds on targets of its plan."""
    line = BudgetLineFactory(plan=campaign.plan)
    acknowledger = UserFactory()
    for i in range(n):
        if i % 3 == 0:
            threshold = thresholds.threshold_create(
                kind=ThresholdKind.COST_ABOVE_BUDGET,
                campaign=campaign,
                percent=10,
                budget_line=line if i % 2 else None,
                recipients=list(people),
            )
        else:
            threshold = attainment_threshold(TargetFactory(campaign=campaign), recipients=list(people))
        alert = open_alert(threshold, hours_ago=30 if i % 2 else 1, summary=f"alert {i}")
        if i % 4 == 1:
            alerts.alert_acknowledge(alert=alert, by=acknowledger, note="on it")
        plan_threshold = attainment_threshold(TargetFactory(plan=campaign.plan, campaign=None), recipients=list(people))
        open_alert(plan_threshold, summary=f"plan alert {i}")


@pytest.mark.parametrize("page", ["alert_list", "notification_list", "dashboard"])
def test_list_pages_run_the_same_queries_for_3_and_33_alerts(client, manager, count_queries, fresh_cache, page):
    namespace = "notifications" if page.startswith("notification") else "tracking"
    url = reverse("dashboard") if page == "dashboard" else reverse(f"{namespace}:{page}")
    _fill(CampaignFactory(owner=manager), 3, people=[manager])
    client.force_login(manager)
    client.get(url)

    small = count_queries(lambda: client.get(url))
    _fill(CampaignFactory(owner=manager), 30, people=[manager])
    client.get(url)  # the dashboard keeps the new targets' actuals in the cache (plans.actuals)
    large = count_queries(lambda: client.get(url))

    assert small == large


@pytest.mark.parametrize("section", ["campaign_alerts", "plan_alerts"])
def test_alert_sections_run_the_same_queries_for_3_and_30_thresholds(client, manager, count_queries, section):
    small, large = CampaignFactory(), CampaignFactory()
    _fill(small, 3, people=[manager])
    _fill(large, 30, people=[manager, UserFactory()])
    client.force_login(manager)

    def url(campaign):
        scope = campaign if section == "campaign_alerts" else campaign.plan
        return reverse(f"tracking:{section}", args=[scope.pk])

    client.get(url(small))

    assert count_queries(lambda: client.get(url(small))) == count_queries(lambda: client.get(url(large)))
