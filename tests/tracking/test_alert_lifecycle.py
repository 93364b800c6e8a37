"""An alert's life: acknowledged with an analysis note, escalated once when nobody answers in
time, recovered or resolved by hand — each event told to the right people once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role
from notifications.models import Delivery, DeliveryChannel, Notification
from tracking import jobs
from tracking.models import Alert, AlertState, NotificationKind
from tracking.services import alerts

from ..factories import ThresholdFactory, UserFactory, open_alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague():
    return UserFactory(username="colleague")


@pytest.fixture
def threshold(campaign, colleague):
    return ThresholdFactory(target__campaign=campaign, recipients=[colleague])


@pytest.fixture
def executives(make_user):
    make_user(Role.EXECUTIVE, username="boss", is_active=False)
    return [make_user(Role.EXECUTIVE, username="vp"), make_user(Role.EXECUTIVE, username="cmo")]


def told(alert: Alert, kind: str) -> list[str]:
    return sorted(Notification.objects.filter(alert=alert, kind=kind).values_list("recipient__username", flat=True))


# Acknowledging ------------------------------------------------------------------------------


@pytest.mark.parametrize("note", ["", "   \n "])
def test_acknowledging_an_alert_needs_an_analysis_note(threshold, campaign, note):
    alert = open_alert(threshold)

    with pytest.raises(ValidationError) as error:
        alerts.alert_acknowledge(alert=alert, by=campaign.owner, note=note)

    assert "analysis_note" in error.value.message_dict
    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_by, alert.analysis_note) == (AlertState.OPEN, None, "")


def test_acknowledging_records_who_looks_at_what_and_when(threshold, campaign):
    alert = open_alert(threshold)

    alerts.alert_acknowledge(alert=alert, by=campaign.owner, note="  Stock-outs in two stores; Li checks supply.  ")

    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED
    assert alert.analysis_note == "Stock-outs in two stores; Li checks supply."
    assert alert.acknowledged_by == campaign.owner
    assert alert.acknowledged_at is not None


def test_an_acknowledged_alert_does_not_escalate(threshold, campaign, executives):
    alert = open_alert(threshold, hours_ago=2)
    alerts.alert_acknowledge(alert=alert, by=campaign.owner, note="Looking into it.")

    escalated = alerts.escalate_overdue_alerts(now=timezone.now() + timedelta(days=3))

    assert escalated == 0
    assert told(alert, NotificationKind.ALERT_ESCALATED) == []
    assert not alert.is_overdue_for_acknowledgement(now=timezone.now() + timedelta(days=3))


def test_only_an_open_alert_can_be_acknowledged(threshold, campaign):
    alert = open_alert(threshold)
    alerts.alert_acknowledge(alert=alert, by=campaign.owner, note="First look.")

    with pytest.raises(ValidationError) as error:
        alerts.alert_acknowledge(alert=alert, by=campaign.owner, note="Second look.")

    assert "state" in error.value.message_dict
    alert.refresh_from_db()
    assert alert.analysis_note == "First look."


# Escalating ---------------------------------------------------------------------------------


def test_an_alert_is_overdue_only_once_its_response_time_has_passed(threshold):
    alert = open_alert(threshold)

    assert not alert.is_overdue_for_acknowledgement(now=alert.opened_at + timedelta(hours=23, minutes=59))
    assert alert.is_overdue_for_acknowledgement(now=alert.opened_at + timedelta(hours=24))
    assert list(Alert.objects.overdue_for_acknowledgement(now=alert.opened_at + timedelta(hours=23))) == []
    assert list(Alert.objects.overdue_for_acknowledgement(now=alert.opened_at + timedelta(hours=25))) == [alert]


def test_an_alert_nobody_acknowledged_in_24_hours_escalates_to_the_owners_and_the_executives(threshold, executives):
    alert = open_alert(threshold)
    now = alert.opened_at + timedelta(hours=25)

    escalated = alerts.escalate_overdue_alerts(now=now)

    assert escalated == 1
    alert.refresh_from_db()
    assert alert.escalated_at == now
    assert alert.state == AlertState.OPEN
    assert told(alert, NotificationKind.ALERT_ESCALATED) == ["cmo", "colleague", "owner", "planner", "vp"]
    emails = Delivery.objects.filter(alert=alert, kind=NotificationKind.ALERT_ESCALATED, channel=DeliveryChannel.EMAIL)
    assert emails.count() == 5


def test_an_escalated_alert_still_shows_as_overdue_until_someone_acknowledges_it(threshold, campaign):
    alert = open_alert(threshold, hours_ago=30)
    alerts.escalate_overdue_alerts()
    alert.refresh_from_db()
    assert alert.escalated_at is not None
    assert alert.is_overdue_for_acknowledgement()

    alerts.alert_acknowledge(alert=alert, by=campaign.owner, note="On it.")

    assert not alert.is_overdue_for_acknowledgement()


def test_an_alert_does_not_escalate_before_its_response_time(threshold, executives):
    alert = open_alert(threshold)

    assert alerts.escalate_overdue_alerts(now=alert.opened_at + timedelta(hours=23)) == 0
    assert told(alert, NotificationKind.ALERT_ESCALATED) == []


def test_an_alert_escalates_once_however_often_the_escalation_runs(threshold, executives):
    alert = open_alert(threshold)
    later = alert.opened_at + timedelta(hours=25)
    alerts.escalate_overdue_alerts(now=later)
    notifications, deliveries = Notification.objects.count(), Delivery.objects.count()

    again = alerts.escalate_overdue_alerts(now=later + timedelta(hours=30))
    claimed = alerts.alert_escalate(alert_id=alert.pk, now=later + timedelta(days=5))

    assert (again, claimed) == (0, False)
    assert (Notification.objects.count(), Delivery.objects.count()) == (notifications, deliveries)
    alert.refresh_from_db()
    assert alert.escalated_at == later


def test_the_escalation_job_run_twice_gives_the_same_state(threshold, executives):
    alert = open_alert(threshold, hours_ago=25)

    first = jobs.escalate_alerts()
    state = (Notification.objects.count(), Delivery.objects.count())
    second = jobs.escalate_alerts()

    assert (first, second) == (1, 0)
    assert (Notification.objects.count(), Delivery.objects.count()) == state
    assert told(alert, NotificationKind.ALERT_ESCALATED) == ["cmo", "colleague", "owner", "planner", "vp"]


def test_the_response_time_is_a_setting(threshold, settings):
    settings.ALERT_RESPONSE_TIME = timedelta(hours=2)
    alert = open_alert(threshold, hours_ago=3)

    assert alert.is_overdue_for_acknowledgement()
    assert alerts.escalate_overdue_alerts() == 1


# Recovering and resolving -------------------------------------------------------------------


def test_a_recovered_alert_tells_the_same_people_once(threshold):
    alert = open_alert(threshold)

    recovered = alerts.alert_recover(alert=alert, observed=Decimal("45000"))
    again = alerts.alert_recover(alert=alert, observed=Decimal("46000"))

    assert (recovered, again) == (True, False)
    alert.refresh_from_db()
    assert alert.state == AlertState.AUTO_RESOLVED
    assert alert.observed == Decimal("45000")
    assert alert.resolved_at is not None
    assert told(alert, NotificationKind.ALERT_RECOVERED) == told(alert, NotificationKind.ALERT_OPENED)
    assert told(alert, NotificationKind.ALERT_RECOVERED) == ["colleague", "owner"]


def test_recovery_after_an_escalation_also_tells_the_people_it_was_escalated_to(threshold, executives):
    alert = open_alert(threshold, hours_ago=25)
    alerts.escalate_overdue_alerts()

    alerts.alert_recover(alert=alert, observed=Decimal("45000"))

    assert told(alert, NotificationKind.ALERT_RECOVERED) == ["cmo", "colleague", "owner", "planner", "vp"]


def test_a_breach_after_recovery_opens_a_new_alert(threshold):
    first = open_alert(threshold)
    alerts.alert_recover(alert=first, observed=Decimal("45000"))

    second = open_alert(threshold)

    assert second.pk != first.pk
    assert told(second, NotificationKind.ALERT_OPENED) == ["colleague", "owner"]


def test_resolving_an_alert_by_hand_records_who_and_why_and_tells_nobody(threshold, campaign):
    alert = open_alert(threshold)
    alerts.alert_acknowledge(alert=alert, by=campaign.owner, note="Stock-outs.")

    alerts.alert_resolve(alert=alert, by=campaign.owner, note="Restocked; sales back on pace.")

    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED
    assert alert.resolved_by == campaign.owner
    assert alert.resolved_at is not None
    assert alert.analysis_note == "Stock-outs.\nRestocked; sales back on pace."
    assert told(alert, NotificationKind.ALERT_RECOVERED) == []


def test_a_resolved_alert_cannot_be_resolved_again_nor_escalate_nor_recover(threshold, campaign, executives):
    alert = open_alert(threshold, hours_ago=30)
    alerts.alert_resolve(alert=alert, by=campaign.owner)

    with pytest.raises(ValidationError) as error:
        alerts.alert_resolve(alert=alert, by=campaign.owner)

    assert "state" in error.value.message_dict
    assert alerts.escalate_overdue_alerts() == 0
    assert alerts.alert_recover(alert=alert, observed=Decimal("45000")) is False
    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED
