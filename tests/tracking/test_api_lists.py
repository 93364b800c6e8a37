"""The lists of the tracking and notifications API: none answers without a login, and each
runs the same number of queries for 3 and 33 rows, as JSON and as CSV."""

import pytest

from accounts.models import Role
from tests.api import url
from tests.factories import (
    BudgetLineFactory,
    CampaignFactory,
    TargetFactory,
    UserFactory,
    attainment_threshold,
    channel,
    open_alert,
)
from tracking.models import ThresholdKind
from tracking.services import alerts, thresholds

pytestmark = pytest.mark.django_db

LISTS = ["threshold-list", "alert-list", "notification-list"]


@pytest.mark.parametrize("name", [*LISTS, "webhook-list"])
def test_anonymous_requests_get_401(api_client, name):
    assert api_client.get(url(name)).status_code == 401


def _fill(n: int, *, people=()):
    campaign = CampaignFactory()
    line = BudgetLineFactory(plan=campaign.plan)
    for i in range(n):
        if i % 3 == 0:
            threshold = thresholds.threshold_create(
                kind=ThresholdKind.COST_ABOVE_BUDGET,
                campaign=campaign,
                percent=10,
                budget_line=line,
                recipients=list(people),
            )
        elif i % 3 == 1:
            threshold = attainment_threshold(TargetFactory(plan=campaign.plan, campaign=None), recipients=list(people))
        else:
            # A goal of one channel: its label names the channel (the alert list once asked for
            # each alert's channel in a query of its own).
            goal = TargetFactory(campaign=campaign, channel=channel("ecommerce") if i % 2 else None)
            threshold = attainment_threshold(goal, recipients=list(people))
        alert = open_alert(threshold, hours_ago=30 if i % 2 else 1)
        if i % 4 == 1:
            alerts.alert_acknowledge(alert=alert, by=UserFactory(), note="on it")


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_api_lists_run_the_same_queries_for_3_and_33_rows(client_as, count_queries, name, fmt):
    client = client_as(Role.MARKETING_MANAGER)
    params = {"format": fmt}
    _fill(3, people=[client.user, UserFactory()])
    client.get(url(name), params)

    small = count_queries(lambda: client.get(url(name), params))
    _fill(30, people=[client.user, UserFactory()])
    large = count_queries(lambda: client.get(url(name), params))

    assert small == large
