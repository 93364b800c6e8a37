"""notifications.services.notify, the one way in: any subject (a model instance or a dedupe
key), once per subject, kind and person, texts in every language, e-mails and chat groups
through the outbox."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from notifications import services
from notifications.models import Delivery, DeliveryChannel, Notification
from tests.factories import CampaignFactory, ChatWebhookFactory, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def wording(language, recipient):
    # Marks the language that was active and the person it was worded for.
    name = recipient.username if recipient else "group"
    return f"[{translation.get_language()}] Hello {name}", f"body in {language}"


def test_a_subject_reaches_each_person_once_per_kind():
    campaign = CampaignFactory()
    people = [UserFactory(username="li"), UserFactory(username="wang")]

    first = services.notify(recipients=people, kind="campaign_note", subject=campaign, wording=wording)
    again = services.notify(recipients=people, kind="campaign_note", subject=campaign, wording=wording)
    other_kind = services.notify(recipients=people, kind="campaign_other", subject=campaign, wording=wording)

    assert (first.notifications, again.notifications, other_kind.notifications) == (2, 0, 2)
    assert Notification.objects.filter(subject_id=campaign.pk, kind="campaign_note").count() == 2


def test_a_dedupe_key_stands_in_for_a_subject():
    person = UserFactory()

    services.notify(recipients=[person], kind="digest", dedupe_key="digest:2026-06-14", wording=wording)
    services.notify(recipients=[person], kind="digest", dedupe_key="digest:2026-06-14", wording=wording)
    services.notify(recipients=[person], kind="digest", dedupe_key="digest:2026-06-15", wording=wording)

    assert sorted(Notification.objects.values_list("dedupe_key", flat=True)) == [
        "digest:2026-06-14",
        "digest:2026-06-15",
    ]


def test_the_database_refuses_a_second_notification_for_the_same_event():
    campaign = CampaignFactory()
    person = UserFactory()
    services.notify(recipients=[person], kind="campaign_note", subject=campaign, wording=wording)
    first = Notification.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=person, kind="campaign_note", subject=campaign, title=first.title, url=first.url
        )


def test_a_notification_without_a_subject_or_a_key_is_refused():
    with pytest.raises(ValueError, match="subject or a dedupe key"):
        services.notify(recipients=[UserFactory()], kind="note", wording=wording)


def test_the_text_is_kept_in_every_language_and_shown_in_the_readers():
    chinese = UserFactory(username="zhang", language="zh-hans")

    services.notify(recipients=[chinese], kind="note", dedupe_key="note:1", wording=wording)

    notification = Notification.objects.get()
    assert notification.title == "[zh-hans] Hello zhang"
    assert notification.text("en") == ("[en] Hello zhang", "body in en")
    with translation.override("en"):
        assert notification.text() == ("[en] Hello zhang", "body in en")
    with translation.override("zh-hans"):
        assert notification.text()[0] == "[zh-hans] Hello zhang"


def test_inactive_people_are_not_notified():
    services.notify(recipients=[UserFactory(is_active=False)], kind="note", dedupe_key="k", wording=wording)

    assert not Notification.objects.exists()


def test_email_goes_to_those_who_want_it_and_have_an_address():
    wants = UserFactory(username="wants")
    UserFactory(username="no_mail", notify_by_email=False)
    people = [wants, UserFactory(username="no_address", email=""), UserFactory(username="off", notify_by_email=False)]

    result = services.notify(recipients=people, kind="note", dedupe_key="k", wording=wording, url="/plans/")

    emails = Delivery.objects.filter(channel=DeliveryChannel.EMAIL)
    assert [d.notification.recipient.username for d in emails] == ["wants"]
    assert (result.notifications, result.deliveries) == (3, 1)


def test_chat_groups_of_the_scopes_and_optionally_of_the_recipients_departments():
    campaign = CampaignFactory()
    sales = DepartmentFactory(name="销售部")
    seller = UserFactory(department=sales)
    ChatWebhookFactory(name="campaign group", scope=campaign)
    ChatWebhookFactory(name="sales group", department=sales)
    ChatWebhookFactory(name="switched off", scope=campaign, is_active=False)
    ChatWebhookFactory(name="another campaign", scope=CampaignFactory())

    services.notify(recipients=[seller], kind="a", subject=campaign, wording=wording, webhook_scopes=[campaign])
    services.notify(
        recipients=[seller],
        kind="b",
        subject=campaign,
        wording=wording,
        webhook_scopes=[campaign],
        webhook_departments=True,
        webhook_language="zh-hans",
        extra={"severity": "critical"},
    )

    chats = Delivery.objects.filter(channel=DeliveryChannel.WEBHOOK).order_by("kind", "webhook__name")
    assert [(d.kind, d.webhook.name) for d in chats] == [
        ("a", "campaign group"),
        ("b", "campaign group"),
        ("b", "sales group"),
    ]
    message = chats.last()
    assert (message.title, message.language, message.extra) == (
        "[zh-hans] Hello group",
        "zh-hans",
        {"severity": "critical"},
    )


def test_a_chat_group_hears_about_an_event_once():
    campaign = CampaignFactory()
    ChatWebhookFactory(scope=campaign)

    for person in (UserFactory(), UserFactory()):
        services.notify(recipients=[person], kind="a", subject=campaign, wording=wording, webhook_scopes=[campaign])

    assert Delivery.objects.filter(channel=DeliveryChannel.WEBHOOK).count() == 1


def test_sending_is_published_only_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    published = []
    monkeypatch.setattr(services, "publish_deliveries", published.extend)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(recipients=[UserFactory()], kind="note", dedupe_key="k", wording=wording)
        assert published == []

    assert len(callbacks) == 1
    assert published == [Delivery.objects.get().pk]


def test_a_broker_that_is_down_leaves_the_delivery_pending_for_the_sweep(
    django_capture_on_commit_callbacks, monkeypatch
):
    def broker_down(delivery_ids):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(services, "publish_deliveries", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[UserFactory()], kind="note", dedupe_key="k", wording=wording)

    assert services.deliveries_due() == [Delivery.objects.get().pk]
