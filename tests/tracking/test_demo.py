"""The demo data: seed_demo opens the template's alerts, shown on the manager's dashboard, and
seeding again changes nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from notifications.models import Notification
from tracking.models import Alert, Severity, Threshold, ThresholdKind

pytestmark = pytest.mark.django_db


def test_the_demo_opens_the_templates_alerts_on_the_managers_dashboard_and_a_second_seed_changes_nothing(client):
    call_command("seed_demo", stdout=StringIO())

    alerts = {alert.threshold.kind: alert for alert in Alert.objects.unresolved().select_related("threshold")}
    online = Alert.objects.get(threshold__target__channel__code="online")
    assert online.severity == Severity.CRITICAL
    assert "Units sold · Online" in online.summary
    # The online sub-goal runs at 60% of its daily pace (the template's week-one example).
    assert online.observed / online.expected < Decimal("0.8")
    assert {ThresholdKind.ATTAINMENT_BELOW, ThresholdKind.BENCHMARK_BELOW, ThresholdKind.TASKS_OVERDUE} <= set(alerts)
    benchmark = alerts[ThresholdKind.BENCHMARK_BELOW]
    assert benchmark.expected == Decimal("3")
    assert benchmark.observed < Decimal("2.4")
    client.force_login(online.campaign.owner)
    assert online.summary in client.get("/").content.decode()

    state = (Threshold.objects.count(), list(Alert.objects.values()), Notification.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Threshold.objects.count(), list(Alert.objects.values()), Notification.objects.count()) == state

    out = StringIO()
    call_command("check_thresholds", stdout=out)
    assert f"0 opened, {Alert.objects.unresolved().count()} kept, 0 resolved" in out.getvalue()
