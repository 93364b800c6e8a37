"""The chat webhook pages: a campaign's chat groups (its owner and marketing managers), the
departments' chat groups (marketing managers), editing without showing the secret back, and
"send a test message" to a real local HTTP endpoint."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Role
from notifications.models import ChatWebhook, WebhookKind
from tests.factories import CampaignFactory, ChatWebhookFactory, DepartmentFactory, UserFactory
from tests.notifications.webhook_server import WebhookServer

pytestmark = pytest.mark.django_db


def campaign_page(campaign):
    return reverse("tracking:campaign_webhooks", args=[campaign.pk])


def new_webhook(**fields):
    return {"name": "618 群", "kind": WebhookKind.WECOM, "url": "https://qyapi.weixin.qq.com/send?key=k", **fields}


def shown(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MARKETING_MANAGER, 200),
        (Role.EXECUTIVE, 403),
        (Role.STAFF, 403),
        (Role.DEPARTMENT_LEAD, 403),
        (Role.VIEWER, 403),
    ],
)
def test_a_campaigns_chat_groups_are_for_marketing_managers(client, campaign, make_user, role, status):
    client.force_login(make_user(role))

    assert client.get(campaign_page(campaign)).status_code == status
    assert client.post(campaign_page(campaign), new_webhook()).status_code == (302 if status == 200 else 403)
    assert ChatWebhook.objects.exists() == (status == 200)


def test_the_campaign_owner_manages_their_campaigns_chat_groups_and_no_other(client, campaign, owner):
    client.force_login(owner)

    assert client.get(campaign_page(campaign)).status_code == 200
    assert client.get(campaign_page(CampaignFactory())).status_code == 403


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MARKETING_MANAGER, 200),
        (Role.EXECUTIVE, 403),
        (Role.STAFF, 403),
        (Role.DEPARTMENT_LEAD, 403),
        (Role.VIEWER, 403),
    ],
)
def test_departments_chat_groups_are_for_marketing_managers(client, make_user, role, status):
    client.force_login(make_user(role))

    assert client.get(reverse("tracking:department_webhooks")).status_code == status


def test_a_campaign_owner_cannot_touch_a_departments_chat_group(client, owner):
    hook = ChatWebhookFactory(department=DepartmentFactory())
    client.force_login(owner)

    for name in ("webhook_edit", "webhook_delete", "webhook_test"):
        assert client.post(reverse(f"tracking:{name}", args=[hook.pk])).status_code == 403
    assert ChatWebhook.objects.filter(pk=hook.pk).exists()


# Adding, editing, removing ------------------------------------------------------------------


def test_the_owner_adds_a_chat_group_to_their_campaign(client, campaign, owner):
    client.force_login(owner)

    response = client.post(campaign_page(campaign), new_webhook(secret="ignored for WeCom"))

    assert response.status_code == 302
    hook = ChatWebhook.objects.get()
    assert (hook.scope, hook.department, hook.name, hook.secret) == (campaign, None, "618 群", "")
    assert hook.history.get().history_user == owner
    assert [w.name for w in client.get(campaign_page(campaign)).context["webhooks"]] == ["618 群"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.com/hook", "not a url", ""])
def test_an_address_that_is_not_http_is_refused_naming_the_field(client, campaign, owner, url):
    client.force_login(owner)

    response = client.post(campaign_page(campaign), new_webhook(url=url))

    assert response.status_code == 400
    assert "url" in response.context["form"].errors
    assert not ChatWebhook.objects.exists()


def test_a_manager_adds_a_departments_chat_group(client, make_user):
    sales = DepartmentFactory(name="销售部")
    client.force_login(make_user(Role.MARKETING_MANAGER))

    response = client.post(
        reverse("tracking:department_webhooks"),
        new_webhook(kind=WebhookKind.DINGTALK, secret="SEC1", department=sales.pk),
    )

    assert response.status_code == 302
    hook = ChatWebhook.objects.get()
    assert (hook.department, hook.scope, hook.secret) == (sales, None, "SEC1")


def test_a_departments_chat_group_needs_its_department(client, make_user):
    client.force_login(make_user(Role.MARKETING_MANAGER))

    response = client.post(reverse("tracking:department_webhooks"), new_webhook())

    assert response.status_code == 400
    assert "department" in response.context["form"].errors


def test_editing_never_shows_the_secret_and_an_empty_one_keeps_it(client, campaign, owner):
    hook = ChatWebhookFactory(scope=campaign, kind=WebhookKind.FEISHU, secret="SECkeep")
    client.force_login(owner)
    edit = reverse("tracking:webhook_edit", args=[hook.pk])

    page = client.get(edit)
    client.post(edit, new_webhook(kind=WebhookKind.FEISHU, name="renamed", secret="", is_active="on"))

    assert "SECkeep" not in page.content.decode()
    hook.refresh_from_db()
    assert (hook.name, hook.secret, hook.scope) == ("renamed", "SECkeep", campaign)


def test_a_kind_without_signing_drops_the_secret(client, campaign, owner):
    hook = ChatWebhookFactory(scope=campaign, kind=WebhookKind.DINGTALK, secret="SECold")
    client.force_login(owner)

    client.post(reverse("tracking:webhook_edit", args=[hook.pk]), new_webhook(kind=WebhookKind.SLACK))

    hook.refresh_from_db()
    assert (hook.kind, hook.secret) == (WebhookKind.SLACK, "")


def test_removing_a_chat_group(client, campaign, owner):
    hook = ChatWebhookFactory(scope=campaign)
    client.force_login(owner)

    response = client.post(reverse("tracking:webhook_delete", args=[hook.pk]))

    assert response.url == campaign_page(campaign)
    assert not ChatWebhook.objects.exists()


def test_removing_is_a_post(client, campaign, owner):
    hook = ChatWebhookFactory(scope=campaign)
    client.force_login(owner)

    assert client.get(reverse("tracking:webhook_delete", args=[hook.pk])).status_code == 405
    assert ChatWebhook.objects.exists()


def test_a_campaigns_chat_groups_go_with_the_campaign(campaign):
    ChatWebhookFactory(scope=campaign)

    campaign.targets.all().delete()
    campaign.delete()

    assert not ChatWebhook.objects.exists()


# The test message ---------------------------------------------------------------------------


def test_a_test_message_reaches_the_chat_group_and_says_so(client, campaign, owner):
    client.force_login(owner)
    with WebhookServer(platform="wecom") as server:
        hook = ChatWebhookFactory(scope=campaign, kind=WebhookKind.WECOM, url=server.url)

        response = client.post(reverse("tracking:webhook_test", args=[hook.pk]))

    [received] = server.accepted
    assert "Test message" in received.json["markdown"]["content"]
    assert response.url == campaign_page(campaign)
    assert shown(response) == [f"The test message to “{hook.name}” was accepted."]


def test_a_failing_chat_group_shows_what_went_wrong(client, campaign, owner):
    client.force_login(owner)
    with WebhookServer(platform="dingtalk", refuse=True) as server:
        hook = ChatWebhookFactory(scope=campaign, kind=WebhookKind.DINGTALK, url=server.url)

        response = client.post(reverse("tracking:webhook_test", args=[hook.pk]))

    [message] = shown(response)
    assert "did not go through" in message
    assert "sign not match" in message


def test_the_test_message_is_in_the_senders_language(client, campaign, owner):
    owner.language = "zh-hans"
    owner.save()
    client.force_login(owner)
    with WebhookServer(platform="slack") as server:
        hook = ChatWebhookFactory(scope=campaign, kind=WebhookKind.SLACK, url=server.url)
        client.post(reverse("tracking:webhook_test", args=[hook.pk]))

    [received] = server.accepted
    assert "Test message" not in received.json["text"]


# Links and query counts ---------------------------------------------------------------------


def test_the_campaigns_alert_section_links_to_its_chat_groups_for_those_who_manage_them(client, campaign, owner):
    section = reverse("tracking:campaign_alerts", args=[campaign.pk])
    client.force_login(owner)
    assert campaign_page(campaign) in client.get(section).content.decode()

    client.force_login(UserFactory(roles=[Role.STAFF]))
    assert campaign_page(campaign) not in client.get(section).content.decode()


@pytest.mark.parametrize("page", ["campaign", "departments"])
def test_the_chat_group_pages_run_the_same_queries_for_3_and_30_groups(
    client, campaign, make_user, count_queries, page
):
    client.force_login(make_user(Role.MARKETING_MANAGER))
    url = campaign_page(campaign) if page == "campaign" else reverse("tracking:department_webhooks")

    def add(n):
        for _ in range(n):
            if page == "campaign":
                ChatWebhookFactory(scope=campaign)
            else:
                ChatWebhookFactory(department=DepartmentFactory())

    add(3)
    client.get(url)
    small = count_queries(lambda: client.get(url))
    add(27)
    large = count_queries(lambda: client.get(url))

    assert small == large
