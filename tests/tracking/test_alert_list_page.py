"""The alert list: who reads it (and the alert pages), what it shows by default, its filters,
the overdue flag and its CSV export."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tracking.models import Severity
from tracking.services import alerts

from ..factories import CampaignFactory, TargetFactory, attainment_threshold, open_alert
from .pages import get_page

pytestmark = pytest.mark.django_db

ROLES = [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]
HTMX = {"HTTP_HX_REQUEST": "true"}


# Reading, per role ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_alert_list_detail_and_alert_sections(client, make_user, campaign, goal, role):
    alert = open_alert(attainment_threshold(goal))
    plan_target = TargetFactory(plan=campaign.plan, campaign=None)
    attainment_threshold(plan_target)
    client.force_login(make_user(role))

    listing = get_page(client, "alert_list")
    detail = get_page(client, "alert_detail", alert.pk)
    section = client.get(reverse("tracking:campaign_alerts", args=[campaign.pk]), **HTMX)
    plan_section = client.get(reverse("tracking:plan_alerts", args=[campaign.plan.pk]), **HTMX)

    assert listing.status_code == detail.status_code == section.status_code == plan_section.status_code == 200
    assert alert.summary in listing.content.decode()
    assert "Alert when Units sold is below 80% of the target, paced" in detail.content.decode()
    assert alert.summary in section.content.decode()
    assert "Alert when Units sold is below 80% of the target" in plan_section.content.decode()


def test_a_person_who_is_not_signed_in_is_sent_to_log_in(client, goal):
    alert = open_alert(attainment_threshold(goal))

    for response in (get_page(client, "alert_list"), get_page(client, "alert_detail", alert.pk)):
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_the_alert_list_renders_in_chinese(client, manager, goal):
    open_alert(attainment_threshold(goal))
    client.force_login(manager)

    response = client.get(reverse("tracking:alert_list"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


# The alert list ---------------------------------------------------------------------------


def test_the_alert_list_shows_unresolved_alerts_newest_first_by_default(client, manager, campaign):
    older = open_alert(attainment_threshold(TargetFactory(campaign=campaign)), hours_ago=5, summary="older")
    newer = open_alert(attainment_threshold(TargetFactory(campaign=campaign)), hours_ago=1, summary="newer")
    resolved = open_alert(attainment_threshold(TargetFactory(campaign=campaign)), summary="done already")
    alerts.alert_resolve(alert=resolved, by=manager)
    client.force_login(manager)

    listed = get_page(client, "alert_list").context["alerts"]

    assert listed == [newer, older]


def test_the_alert_list_filters_by_state_severity_campaign_and_overdue(client, manager, campaign):
    other_campaign = CampaignFactory()
    critical = open_alert(
        attainment_threshold(TargetFactory(campaign=campaign), severity=Severity.CRITICAL), summary="critical"
    )
    overdue = open_alert(attainment_threshold(TargetFactory(campaign=campaign)), hours_ago=30, summary="overdue")
    elsewhere = open_alert(attainment_threshold(TargetFactory(campaign=other_campaign)), summary="elsewhere")
    acknowledged = open_alert(attainment_threshold(TargetFactory(campaign=campaign)), hours_ago=40, summary="acked")
    alerts.alert_acknowledge(alert=acknowledged, by=manager, note="Looking at the Tmall traffic (Li Lei)")
    client.force_login(manager)

    def listed(**params):
        return {alert.summary for alert in get_page(client, "alert_list", **params).context["alerts"]}

    assert listed(severity="critical") == {critical.summary}
    assert listed(campaign=other_campaign.pk) == {elsewhere.summary}
    assert listed(overdue="yes") == {overdue.summary}
    assert listed(overdue="no") == {critical.summary, elsewhere.summary, acknowledged.summary}
    assert listed(state="acknowledged") == {acknowledged.summary}
    assert listed(state="all") == {critical.summary, overdue.summary, elsewhere.summary, acknowledged.summary}


def test_an_alert_open_beyond_the_response_time_is_flagged_overdue(client, manager, goal):
    alert = open_alert(attainment_threshold(goal), hours_ago=25)
    client.force_login(manager)

    listing = get_page(client, "alert_list").content.decode()
    detail = get_page(client, "alert_detail", alert.pk)

    assert "overdue for acknowledgement" in listing
    assert detail.context["alert"].overdue is True
    assert 'id="overdue-notice"' in detail.content.decode()


def test_an_alert_within_the_response_time_is_not_flagged(client, manager, goal):
    alert = open_alert(attainment_threshold(goal), hours_ago=2)
    client.force_login(manager)

    detail = get_page(client, "alert_detail", alert.pk)

    assert detail.context["alert"].overdue is False
    assert 'id="overdue-notice"' not in detail.content.decode()


def test_the_alert_list_links_its_csv_export_with_the_same_filters(client, manager, campaign):
    client.force_login(manager)

    response = get_page(client, "alert_list", severity="critical", campaign=campaign.pk, overdue="yes")

    csv_url = response.context["csv_url"]
    assert csv_url.startswith(reverse("api:alert-list"))
    for part in ("format=csv", "severity=critical", f"campaign={campaign.pk}", "overdue=true", "state=unresolved"):
        assert part in csv_url
