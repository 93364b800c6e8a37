"""An alert's page: its rule, figures and chart, and acknowledging and resolving it, per role."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from notifications.models import Notification
from plans.models import MetricValue
from tracking.models import Alert, AlertState, Issue, ThresholdKind
from tracking.services import alerts, thresholds

from ..factories import CampaignFactory, TargetFactory, attainment_threshold, channel, metric, open_alert
from .pages import get_page

pytestmark = pytest.mark.django_db

NOT_MANAGERS = [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]


# The alert detail -------------------------------------------------------------------------


def test_the_alert_page_shows_the_rule_observed_expected_and_times(client, manager, goal):
    alert = open_alert(attainment_threshold(goal))
    client.force_login(manager)

    response = get_page(client, "alert_detail", alert.pk)

    content = response.content.decode()
    assert "Alert when Units sold is below 80% of the target, paced" in content
    assert "31,000" in content
    assert "40,000" in content
    assert timezone.localtime(alert.opened_at).strftime("%Y-%m-%d %H:%M") in content


def test_the_alert_page_charts_30_days_of_the_metric_with_the_target_pace(client, manager, campaign, goal):
    units = metric("units_sold")
    for day in (date(2026, 6, 10), date(2026, 6, 11)):
        for code, value in (("ecommerce", Decimal("100")), ("stores", Decimal("50"))):
            MetricValue.objects.create(
                metric=units,
                plan=campaign.plan,
                campaign=campaign,
                channel=channel(code),
                date=day,
                value=value,
            )
    alert = open_alert(attainment_threshold(goal))
    client.force_login(manager)

    response = get_page(client, "alert_detail", alert.pk)

    chart = json.loads(response.context["chart"]["json"])
    assert len(chart["labels"]) == 30
    assert chart["labels"][-1] == "2026-06-30"
    assert chart["values"][chart["labels"].index("2026-06-10")] == 150.0
    assert chart["values"][chart["labels"].index("2026-06-12")] is None
    assert chart["reference"] == pytest.approx(50000 / 30, rel=1e-3)
    assert 'id="alert-chart"' in response.content.decode()


def test_the_chart_of_a_young_campaign_starts_on_its_first_day(client, manager):
    today = timezone.localdate()
    young = CampaignFactory(start_date=today - timedelta(days=9), end_date=today + timedelta(days=20))
    alert = open_alert(attainment_threshold(TargetFactory(campaign=young)))
    client.force_login(manager)

    chart = json.loads(get_page(client, "alert_detail", alert.pk).context["chart"]["json"])

    assert chart["labels"][0] == young.start_date.isoformat()
    assert chart["labels"][-1] == today.isoformat()
    assert len(chart["labels"]) == 10


def test_a_task_threshold_alert_has_no_chart(client, manager, campaign):
    threshold = thresholds.threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)
    alert = open_alert(threshold, summary="3 tasks overdue")
    client.force_login(manager)

    response = get_page(client, "alert_detail", alert.pk)

    assert response.context["chart"] is None
    assert "Alert when any task is overdue" in response.content.decode()


def test_an_alert_with_an_issue_links_to_it_and_offers_no_second_one(client, manager, campaign, goal):
    alert = open_alert(attainment_threshold(goal))
    client.force_login(manager)
    assert 'id="alert-create-issue"' in get_page(client, "alert_detail", alert.pk).content.decode()
    issue = Issue.objects.create(
        campaign=campaign,
        description="天猫流量下滑",
        occurred_at=datetime(2026, 6, 10, 9, tzinfo=timezone.get_current_timezone()),
    )
    Alert.objects.filter(pk=alert.pk).update(issue=issue)

    content = get_page(client, "alert_detail", alert.pk).content.decode()

    assert "天猫流量下滑" in content
    assert f'href="{issue.get_absolute_url()}"' in content
    assert 'id="alert-create-issue"' not in content


def test_the_alert_page_runs_the_same_queries_for_few_and_many_values(client, manager, count_queries):
    alerts = []
    for days in (3, 30):
        campaign = CampaignFactory()
        units = metric("units_sold")
        MetricValue.objects.bulk_create(
            MetricValue(
                metric=units,
                plan=campaign.plan,
                campaign=campaign,
                date=date(2026, 6, 1) + timedelta(days=day),
                value=Decimal(10),
            )
            for day in range(days)
        )
        alerts.append(open_alert(attainment_threshold(TargetFactory(campaign=campaign))))
    client.force_login(manager)
    client.get(alerts[0].get_absolute_url())

    assert count_queries(lambda: client.get(alerts[0].get_absolute_url())) == count_queries(
        lambda: client.get(alerts[1].get_absolute_url())
    )


# Acknowledge and resolve ------------------------------------------------------------------


def test_the_campaign_owner_acknowledges_with_an_analysis_note(client, owner, goal):
    alert = open_alert(attainment_threshold(goal))
    client.force_login(owner)

    response = client.post(
        reverse("tracking:alert_acknowledge", args=[alert.pk]), {"analysis_note": "Checking Tmall traffic (Li Lei)"}
    )

    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED
    assert alert.analysis_note == "Checking Tmall traffic (Li Lei)"
    assert alert.acknowledged_by == owner
    assert alert.acknowledged_at is not None


def test_acknowledging_without_a_note_is_refused_naming_the_field(client, manager, goal):
    alert = open_alert(attainment_threshold(goal))
    client.force_login(manager)

    response = client.post(reverse("tracking:alert_acknowledge", args=[alert.pk]), {"analysis_note": "  "})

    assert response.status_code == 400
    assert "analysis_note" in response.context["acknowledge_form"].errors
    assert "the analysis note is required" in response.content.decode()
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN


@pytest.mark.parametrize("role", [Role.MARKETING_MANAGER])
def test_a_marketing_manager_acknowledges_and_resolves_any_alert(client, make_user, goal, role):
    alert = open_alert(attainment_threshold(goal))
    person = make_user(role)
    client.force_login(person)

    client.post(reverse("tracking:alert_acknowledge", args=[alert.pk]), {"analysis_note": "On it"})
    client.post(reverse("tracking:alert_resolve", args=[alert.pk]), {"note": "Price fixed"})

    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED
    assert alert.resolved_by == person
    assert "Price fixed" in alert.analysis_note


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_people_the_alert_was_not_sent_to_cannot_acknowledge_or_resolve_it(client, make_user, goal, role):
    alert = open_alert(attainment_threshold(goal))
    client.force_login(make_user(role))

    acknowledged = client.post(reverse("tracking:alert_acknowledge", args=[alert.pk]), {"analysis_note": "x"})
    resolved = client.post(reverse("tracking:alert_resolve", args=[alert.pk]), {"note": ""})

    assert acknowledged.status_code == resolved.status_code == 403
    alert.refresh_from_db()
    assert (alert.state, alert.analysis_note, alert.acknowledged_by) == (AlertState.OPEN, "", None)


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_a_person_the_alert_was_sent_to_acknowledges_it_whatever_their_role(client, make_user, goal, role):
    person = make_user(role)
    alert = open_alert(attainment_threshold(goal, recipients=[person]))
    assert Notification.objects.filter(alert=alert, recipient=person).exists()
    client.force_login(person)

    page = get_page(client, "alert_detail", alert.pk)
    response = client.post(reverse("tracking:alert_acknowledge", args=[alert.pk]), {"analysis_note": "Mine"})

    assert 'id="acknowledge"' in page.content.decode()
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == person


def test_the_acknowledge_and_resolve_forms_are_shown_only_to_those_who_may(client, make_user, owner, goal):
    alert = open_alert(attainment_threshold(goal))

    client.force_login(owner)
    shown = get_page(client, "alert_detail", alert.pk).content.decode()
    client.force_login(make_user(Role.VIEWER))
    hidden = get_page(client, "alert_detail", alert.pk).content.decode()

    assert 'id="acknowledge"' in shown
    assert 'id="resolve"' in shown
    assert 'id="acknowledge"' not in hidden
    assert 'id="resolve"' not in hidden


def test_a_resolved_alert_cannot_be_resolved_again(client, manager, goal):
    alert = open_alert(attainment_threshold(goal))
    alerts.alert_resolve(alert=alert, by=manager)
    client.force_login(manager)

    response = client.post(reverse("tracking:alert_resolve", args=[alert.pk]), {"note": ""})

    assert response.status_code == 400
    assert "already resolved" in response.content.decode()


def test_acknowledge_only_answers_post(client, manager, goal):
    alert = open_alert(attainment_threshold(goal))
    client.force_login(manager)

    assert client.get(reverse("tracking:alert_acknowledge", args=[alert.pk])).status_code == 405
