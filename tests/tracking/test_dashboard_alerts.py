"""The dashboard's open alerts: those the person was told about and those on campaigns they own,
each once, unresolved only, most urgent first, with how many there are in all."""

import pytest

from tests.factories import CampaignFactory, TargetFactory, UserFactory, attainment_threshold, open_alert
from tracking.selectors import user_open_alerts
from tracking.services import alerts

pytestmark = pytest.mark.django_db


def _alert(campaign, *, recipients=(), hours_ago=0):
    return open_alert(
        attainment_threshold(TargetFactory(campaign=campaign), recipients=list(recipients)), hours_ago=hours_ago
    )


def test_the_dashboard_lists_alerts_told_to_the_person_or_on_their_campaigns_once_each():
    me = UserFactory()
    mine, theirs = CampaignFactory(owner=me), CampaignFactory()
    told = _alert(theirs, recipients=[me], hours_ago=3)
    both = _alert(mine, recipients=[me], hours_ago=2)  # told and owned: listed once
    owned = _alert(mine, hours_ago=1)
    _alert(theirs)  # neither
    resolved = _alert(mine, recipients=[me])
    alerts.alert_resolve(alert=resolved, by=me)
    acknowledged = _alert(theirs, recipients=[me], hours_ago=4)
    alerts.alert_acknowledge(alert=acknowledged, by=me, note="on it")

    found = user_open_alerts(user=me)

    # Open before acknowledged, then the oldest first.
    assert [alert.pk for alert in found["alerts"]] == [told.pk, both.pk, owned.pk, acknowledged.pk]
    assert found["count"] == 4


def test_the_dashboard_shows_the_first_alerts_and_counts_them_all():
    me = UserFactory()
    campaign = CampaignFactory(owner=me)
    opened = [_alert(campaign, hours_ago=hours) for hours in (5, 4, 3)]

    found = user_open_alerts(user=me, limit=2)

    assert [alert.pk for alert in found["alerts"]] == [opened[0].pk, opened[1].pk]
    assert found["count"] == 3
