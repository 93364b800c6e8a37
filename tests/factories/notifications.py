import factory

from notifications.models import ChatWebhook, Notification, WebhookKind

from .accounts import UserFactory


class ChatWebhookFactory(factory.django.DjangoModelFactory):
    """A chat group's webhook; give it a ``scope`` (e.g. a campaign) or a ``department``."""

    class Meta:
        model = ChatWebhook

    name = factory.Sequence(lambda n: f"Chat group {n}")
    kind = WebhookKind.GENERIC
    url = "https://chat.example.com/hook"


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread notification in someone's bell (about an alert opening, by default); give it
    a ``subject`` to tie it to a row."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "alert_opened"
    title = "An alert"
