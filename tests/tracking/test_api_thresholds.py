"""The tracking API: thresholds (read/write), alerts (read, acknowledge, resolve),
notifications (one's own), webhooks (administrators), per role, with filters and CSV."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, User
from notifications.models import ChatWebhook, Notification, WebhookKind
from tracking.models import Alert, AlertState, Severity, Threshold, ThresholdKind
from tracking.services import alerts, thresholds

from ..factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CampaignFactory,
    NotificationFactory,
    TargetFactory,
    UserFactory,
    attainment_threshold,
    open_alert,
)

pytestmark = pytest.mark.django_db

ROLES = [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]
NOT_MANAGERS = [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER, "token"]
LISTS = ["threshold-list", "alert-list", "notification-list"]


@pytest.fixture
def client_as(request, make_user):
    """client_as(who): an API client signed in as a new person in that role, as a given
    User, as an administrator ("admin"), or with a read-only BI token ("token")."""

    def build(who, **fields):
        if who == "token":
            return request.getfixturevalue("token_client")
        if isinstance(who, User):
            user = who
        elif who == "admin":
            user = make_user(None, is_staff=True, is_superuser=True, **fields)
        else:
            user = make_user(who, **fields)
        client = APIClient()
        client.force_authenticate(user)
        client.user = user
        return client

    return build


@pytest.fixture
def owner(make_user):
    return make_user(Role.STAFF, username="owner")


@pytest.fixture
def campaign(owner):
    return CampaignFactory(owner=owner)


@pytest.fixture
def goal(campaign):
    return TargetFactory(campaign=campaign)


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def snapshot(threshold: Threshold) -> dict:
    threshold.refresh_from_db()
    return {
        "percent": threshold.percent,
        "is_active": threshold.is_active,
        "recipients": list(threshold.recipients.values_list("pk", flat=True)),
    }


# Reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*LISTS, "webhook-list"])
def test_anonymous_requests_get_401(api_client, name):
    assert api_client.get(url(name)).status_code == 401


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


def test_the_threshold_list_filters_by_campaign_kind_metric_and_activity(client_as, campaign, goal):
    mine = attainment_threshold(goal)
    tasks = thresholds.threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)
    other = attainment_threshold(TargetFactory(), is_active=False)
    client = client_as(Role.VIEWER)

    def listed(**params):
        return {row["id"] for row in results(client.get(url("threshold-list"), params))}

    assert listed(campaign=campaign.pk) == {mine.pk, tasks.pk}
    assert listed(kind="tasks_overdue") == {tasks.pk}
    assert listed(is_active="false") == {other.pk}
    assert listed(metric="units_sold") == set()  # the metric is the target's, not the threshold's own


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


def test_thresholds_export_as_csv(client_as, goal):
    attainment_threshold(goal, recipients=[UserFactory(), UserFactory()])

    response = client_as(Role.VIEWER).get(url("threshold-list"), {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["kind"] == "attainment_below"
    assert len(rows[0]["recipients"].split(";")) == 2


# Thresholds: writing ----------------------------------------------------------------------


def test_a_manager_creates_a_threshold_on_a_campaign_goal(client_as, campaign, goal):
    lead = UserFactory()
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(
        url("threshold-list"),
        {"kind": "attainment_below", "target": goal.pk, "percent": "80", "paced": True, "recipients": [lead.pk]},
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["campaign"] == campaign.pk
    assert body["rule"].startswith("Alert when Units sold is below 80% of the target, paced")
    threshold = Threshold.objects.get()
    assert list(threshold.recipients.all()) == [lead]
    assert threshold.created_by == client.user
    assert threshold.history.first().history_user == client.user


def test_the_campaign_owner_creates_a_threshold_on_their_campaign(client_as, owner, campaign):
    response = client_as(owner).post(
        url("threshold-list"), {"kind": "tasks_overdue", "campaign": campaign.pk, "min_count": 3}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["rule"] == "Alert when more than 3 tasks are overdue"


def test_a_benchmark_threshold_by_metric_and_channel_codes(client_as, campaign):
    response = client_as(Role.MARKETING_MANAGER).post(
        url("threshold-list"),
        {
            "kind": "benchmark_below",
            "campaign": campaign.pk,
            "metric": "conversion_rate",
            "channel": "online",
            "percent": "20",
            "benchmark_value": "3.0",
            "benchmark_source": "行业报告 2026",
        },
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["metric"], response.json()["channel"]) == ("conversion_rate", "online")
    assert "20% below the benchmark of 3 (行业报告 2026)" in response.json()["rule"]


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_other_roles_and_tokens_cannot_create_or_change_thresholds(client_as, campaign, goal, who):
    threshold = attainment_threshold(goal)
    before = snapshot(threshold)
    client = client_as(who)

    created = client.post(url("threshold-list"), {"kind": "tasks_overdue", "campaign": campaign.pk})
    changed = client.patch(url("threshold-detail", threshold.pk), {"percent": "50", "is_active": False})

    assert created.status_code == changed.status_code == 403
    assert Threshold.objects.count() == 1
    assert snapshot(threshold) == before


def test_the_owner_of_another_campaign_cannot_create_thresholds_here(client_as, make_user, campaign, goal):
    stranger = CampaignFactory(owner=make_user(Role.STAFF)).owner

    response = client_as(stranger).post(
        url("threshold-list"), {"kind": "attainment_below", "target": goal.pk, "percent": "80"}
    )

    assert response.status_code == 403
    assert not Threshold.objects.exists()


def test_plan_target_thresholds_are_for_managers(client_as, owner):
    plan = AnnualPlanFactory()
    target = TargetFactory(plan=plan, campaign=None)
    payload = {"kind": "attainment_below", "target": target.pk, "percent": "80"}

    refused = client_as(owner).post(url("threshold-list"), payload)
    created = client_as(Role.MARKETING_MANAGER).post(url("threshold-list"), payload)

    assert refused.status_code == 403
    assert created.status_code == 201
    assert (created.json()["plan"], created.json()["campaign"]) == (plan.pk, None)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "attainment_below", "percent": "80"}, "target"),
        ({"kind": "value_below", "window_days": 7}, "bound"),
        ({"kind": "value_above", "bound": "10"}, "window_days"),
        ({"kind": "benchmark_below", "percent": "20"}, "benchmark_value"),
        ({"kind": "attainment_below", "percent": "-5"}, "percent"),
        ({"kind": "sometimes"}, "kind"),
        ({"kind": "tasks_overdue", "metric": "no_such_metric"}, "metric"),
    ],
)
def test_a_threshold_that_cannot_be_checked_is_a_400_naming_the_field(client_as, campaign, payload, field):
    response = client_as(Role.MARKETING_MANAGER).post(url("threshold-list"), {"campaign": campaign.pk, **payload})

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Threshold.objects.exists()


def test_a_threshold_needs_a_scope_and_a_consistent_one(client_as, campaign):
    client = client_as(Role.MARKETING_MANAGER)

    no_scope = client.post(url("threshold-list"), {"kind": "tasks_overdue"})
    foreign_goal = client.post(
        url("threshold-list"),
        {"kind": "attainment_below", "campaign": campaign.pk, "target": TargetFactory().pk, "percent": "80"},
    )
    foreign_line = client.post(
        url("threshold-list"),
        {"kind": "cost_above_budget", "campaign": campaign.pk, "percent": "10", "budget_line": BudgetLineFactory().pk},
    )

    assert no_scope.status_code == foreign_goal.status_code == foreign_line.status_code == 400
    assert "target" in no_scope.json()
    assert "campaign" in foreign_goal.json()
    assert "budget_line" in foreign_line.json()
    assert not Threshold.objects.exists()


def test_the_owner_changes_and_switches_off_a_threshold_keeping_its_scope(client_as, owner, campaign, goal):
    threshold = attainment_threshold(goal)

    response = client_as(owner).patch(
        url("threshold-detail", threshold.pk),
        {"percent": "70", "paced": False, "is_active": False, "campaign": CampaignFactory().pk},
        format="json",
    )

    assert response.status_code == 200, response.json()
    threshold.refresh_from_db()
    assert (threshold.percent, threshold.paced, threshold.is_active) == (Decimal("70"), False, False)
    assert threshold.campaign == campaign
    assert response.json()["rule"] == "Alert when Units sold is below 70% of the target"
    assert threshold.history.count() == 2


def test_an_update_that_breaks_a_threshold_is_refused_and_changes_nothing(client_as, goal):
    threshold = attainment_threshold(goal)
    before = snapshot(threshold)

    response = client_as(Role.MARKETING_MANAGER).patch(
        url("threshold-detail", threshold.pk), {"percent": None}, format="json"
    )

    assert response.status_code == 400
    assert "percent" in response.json()
    assert snapshot(threshold) == before


def test_thresholds_are_not_deleted_through_the_api(client_as, goal):
    threshold = attainment_threshold(goal)

    response = client_as(Role.MARKETING_MANAGER).delete(url("threshold-detail", threshold.pk))

    assert response.status_code == 405
    assert Threshold.objects.filter(pk=threshold.pk).exists()


# Alerts: acknowledge and resolve ----------------------------------------------------------


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


# Notifications ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", [*ROLES, "token"])
def test_each_person_reads_only_their_own_notifications(client_as, api_token, who):
    client = client_as(who)
    user = api_token[0].user if who == "token" else client.user
    mine = NotificationFactory(recipient=user, title="mine")
    theirs = NotificationFactory(recipient=UserFactory(), title="theirs")

    listed = results(client.get(url("notification-list")))
    other = client.get(url("notification-detail", theirs.pk))

    assert [row["id"] for row in listed] == [mine.pk]
    assert other.status_code == 404


def test_notifications_filter_unread(client_as, manager):
    read, unread = NotificationFactory(recipient=manager), NotificationFactory(recipient=manager)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    client = client_as(manager)

    listed = results(client.get(url("notification-list"), {"unread": "true"}))

    assert [row["id"] for row in listed] == [unread.pk]
    assert listed[0]["is_read"] is False


def test_a_person_marks_a_notification_read_but_not_anothers(client_as, manager):
    mine, theirs = NotificationFactory(recipient=manager), NotificationFactory(recipient=UserFactory())
    client = client_as(manager)

    marked = client.post(url("notification-read", mine.pk))
    refused = client.post(url("notification-read", theirs.pk))

    assert marked.status_code == 200
    assert marked.json()["is_read"] is True
    assert refused.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_in_bulk_touches_only_ones_own(client_as, manager):
    first, second, third = NotificationFactory.create_batch(3, recipient=manager)
    theirs = NotificationFactory(recipient=UserFactory())
    client = client_as(manager)

    some = client.post(url("notification-read-all"), {"ids": [first.pk, theirs.pk]}, format="json")
    rest = client.post(url("notification-read-all"), {}, format="json")

    assert some.json() == {"marked_read": 1}
    assert rest.json() == {"marked_read": 2}
    assert Notification.objects.filter(recipient=manager, read_at__isnull=True).count() == 0
    assert {second.pk, third.pk} <= set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_token_cannot_mark_notifications_read(client_as, api_token):
    notification = NotificationFactory(recipient=api_token[0].user)

    response = client_as("token").post(url("notification-read", notification.pk))

    assert response.status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


# Webhooks ---------------------------------------------------------------------------------


def test_administrators_list_webhooks_without_their_secrets(client_as, campaign):
    ChatWebhook.objects.create(
        name="618 群",
        kind=WebhookKind.DINGTALK,
        url="https://oapi.dingtalk.com/robot/send?access_token=abc123",
        secret="SECsecret",
        scope=campaign,
    )

    response = client_as("admin").get(url("webhook-list"))

    row = results(response)[0]
    assert row["url_host"] == "oapi.dingtalk.com"
    assert row["has_secret"] is True
    assert "abc123" not in response.content.decode()
    assert "SECsecret" not in response.content.decode()


@pytest.mark.parametrize("who", [*ROLES, "token"])
def test_webhooks_are_refused_to_everyone_else(client_as, who):
    assert client_as(who).get(url("webhook-list")).status_code == 403


# Fixed numbers of queries -----------------------------------------------------------------


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
            threshold = attainment_threshold(TargetFactory(campaign=campaign), recipients=list(people))
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


def test_the_webhook_list_runs_the_same_queries_for_3_and_30_webhooks(client_as, count_queries):
    client = client_as("admin")

    def add(n):
        for i in range(n):
            campaign = CampaignFactory()
            ChatWebhook.objects.create(
                name=f"群 {i}", kind=WebhookKind.WECOM, url="https://qyapi.weixin.qq.com/x", scope=campaign
            )

    add(3)
    client.get(url("webhook-list"))
    small = count_queries(lambda: client.get(url("webhook-list")))
    add(27)
    large = count_queries(lambda: client.get(url("webhook-list")))

    assert small == large
