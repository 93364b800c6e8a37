"""The alerts API: every role and a BI token read alerts, with their rule and overdue flag,
filters and CSV; the people told of an alert (and marketing managers) acknowledge and resolve it."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.api import results, url
from tests.factories import CampaignFactory, TargetFactory, attainment_threshold, open_alert
from tracking.models import Alert, AlertState, Severity
from tracking.services import alerts

pytestmark = pytest.mark.django_db

ROLES = [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]
NOT_MANAGERS = [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER, "token"]


# Reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [*ROLES, "token"])
def test_every_role_and_a_bi_token_read_thresholds_and_alerts(client_as, goal, who):
    alert = open_alert(attainment_threshold(goal))
    client = client_as(who)

    thresholds = results(client.get(url("threshold-list")))
    alerts = results(client.get(url("alert-list")))
    detail = client.get(url("alert-detail", alert.pk))

    assert [row["rule"] for row in thresholds] == [
        "Alert when Units sold is below 80% of the target, paced (compared with the share of the period already "
        "elapsed)"
    ]
    assert [row["id"] for row in alerts] == [alert.pk]
    assert detail.status_code == 200
    assert detail.json()["rule"] == thresholds[0]["rule"]


def test_an_alert_answers_its_rule_scope_times_and_overdue_flag(client_as, campaign, goal):
    alert = open_alert(attainment_threshold(goal, severity=Severity.CRITICAL), hours_ago=25)
    client = client_as(Role.VIEWER)

    row = client.get(url("alert-detail", alert.pk)).json()

    assert row["kind"] == "attainment_below"
    assert (row["campaign"], row["campaign_name"], row["target"]) == (campaign.pk, campaign.name, goal.pk)
    assert (row["severity"], row["state"]) == ("critical", "open")
    assert (row["observed"], row["expected"]) == ("31000.0000", "40000.0000")
    assert row["overdue_for_acknowledgement"] is True
    assert row["issue"] is None
    assert row["url"].endswith(alert.get_absolute_url())


def test_the_alert_list_filters_by_state_severity_campaign_overdue_and_update_time(client_as, manager, campaign):
    other = CampaignFactory()
    critical = open_alert(attainment_threshold(TargetFactory(campaign=campaign), severity=Severity.CRITICAL))
    overdue = open_alert(attainment_threshold(TargetFactory(campaign=campaign)), hours_ago=30)
    elsewhere = open_alert(attainment_threshold(TargetFactory(campaign=other)))
    resolved = open_alert(attainment_threshold(TargetFactory(campaign=campaign)))
    alerts.alert_resolve(alert=resolved, by=manager)
    client = client_as(Role.VIEWER)

    def listed(**params):
        return {row["id"] for row in results(client.get(url("alert-list"), params))}

    assert listed() == {critical.pk, overdue.pk, elsewhere.pk, resolved.pk}
    assert listed(state="unresolved") == {critical.pk, overdue.pk, elsewhere.pk}
    assert listed(state="resolved") == {resolved.pk}
    assert listed(severity="critical") == {critical.pk}
    assert listed(campaign=other.pk) == {elsewhere.pk}
    assert listed(overdue="true") == {overdue.pk}
    assert listed(overdue="false") == {critical.pk, elsewhere.pk, resolved.pk}
    Alert.objects.filter(pk=critical.pk).update(updated_at=timezone.now() + timedelta(hours=1))
    assert listed(updated_after=(timezone.now() + timedelta(minutes=30)).isoformat()) == {critical.pk}


def test_a_bad_filter_value_is_a_400_naming_it(client_as):
    response = client_as(Role.VIEWER).get(url("alert-list"), {"state": "sleeping"})

    assert response.status_code == 400
    assert "state" in response.json()


def test_alerts_export_as_csv_with_their_rule_and_overdue_flag(client_as, campaign):
    for i in range(3):
        open_alert(attainment_threshold(TargetFactory(campaign=campaign)), hours_ago=30 * i, summary=f"销量 {i}")

    response = client_as("token").get(url("alert-list"), {"format": "csv", "overdue": "true"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="alert.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(row["summary"] for row in rows) == ["销量 1", "销量 2"]
    assert {row["overdue_for_acknowledgement"] for row in rows} == {"True"}
    assert all(row["rule"].startswith("Alert when Units sold is below 80%") for row in rows)


# Acknowledge and resolve ------------------------------------------------------------------


def test_the_owner_acknowledges_an_alert_with_a_note(client_as, owner, goal):
    alert = open_alert(attainment_threshold(goal))

    response = client_as(owner).post(
        url("alert-acknowledge", alert.pk), {"analysis_note": "Checking Tmall traffic (Li Lei)"}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "acknowledged"
    assert response.json()["acknowledged_by"] == owner.pk
    alert.refresh_from_db()
    assert alert.analysis_note == "Checking Tmall traffic (Li Lei)"


def test_acknowledging_without_a_note_is_a_400_naming_it(client_as, goal):
    alert = open_alert(attainment_threshold(goal))

    response = client_as(Role.MARKETING_MANAGER).post(url("alert-acknowledge", alert.pk), {})

    assert response.status_code == 400
    assert "analysis_note" in response.json()
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN


def test_a_manager_resolves_an_acknowledged_alert_and_not_twice(client_as, goal):
    alert = open_alert(attainment_threshold(goal))
    client = client_as(Role.MARKETING_MANAGER)
    client.post(url("alert-acknowledge", alert.pk), {"analysis_note": "On it"})

    first = client.post(url("alert-resolve", alert.pk), {"note": "Price fixed"})
    second = client.post(url("alert-resolve", alert.pk), {})

    assert first.status_code == 200
    assert first.json()["state"] == "resolved"
    assert first.json()["analysis_note"] == "On it\nPrice fixed"
    assert second.status_code == 400
    assert "state" in second.json()


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_people_not_told_of_an_alert_and_tokens_cannot_answer_it(client_as, goal, who):
    alert = open_alert(attainment_threshold(goal))
    client = client_as(who)

    acknowledged = client.post(url("alert-acknowledge", alert.pk), {"analysis_note": "x"})
    resolved = client.post(url("alert-resolve", alert.pk), {})

    assert acknowledged.status_code == resolved.status_code == 403
    alert.refresh_from_db()
    assert (alert.state, alert.analysis_note) == (AlertState.OPEN, "")


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER])
def test_a_person_the_alert_was_sent_to_answers_it_whatever_their_role(client_as, make_user, goal, role):
    person = make_user(role)
    alert = open_alert(attainment_threshold(goal, recipients=[person]))

    response = client_as(person).post(url("alert-acknowledge", alert.pk), {"analysis_note": "Mine"})

    assert response.status_code == 200
    assert response.json()["acknowledged_by"] == person.pk


def test_alerts_are_read_only_otherwise(client_as, goal):
    alert = open_alert(attainment_threshold(goal))
    client = client_as(Role.MARKETING_MANAGER)

    assert client.post(url("alert-list"), {}).status_code == 405
    assert client.patch(url("alert-detail", alert.pk), {"state": "resolved"}).status_code == 405
    assert client.delete(url("alert-detail", alert.pk)).status_code == 405
