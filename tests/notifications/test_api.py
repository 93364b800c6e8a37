"""The notifications API: each person reads and marks read their own notifications (a token
only reads); administrators list chat webhooks, without their secrets."""

import pytest
from django.utils import timezone

from accounts.models import Role
from notifications.models import ChatWebhook, Notification, WebhookKind
from tests.api import results, url
from tests.factories import CampaignFactory, NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]


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


def test_administrators_list_webhooks_without_their_secrets(client_as):
    ChatWebhook.objects.create(
        name="618 群",
        kind=WebhookKind.DINGTALK,
        url="https://oapi.dingtalk.com/robot/send?access_token=abc123",
        secret="SECsecret",
        scope=CampaignFactory(),
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
