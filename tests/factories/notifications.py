import factory

from notifications.models import ChatWebhook, Delivery, DeliveryChannel, Notification, WebhookKind

from .accounts import DepartmentFactory, UserFactory


class ChatWebhookFactory(factory.django.DjangoModelFactory):
    """A chat group's webhook; give it a ``scope`` (e.g. a campaign) or a ``department``."""

    class Meta:
        model = ChatWebhook

    name = factory.Sequence(lambda n: f"Chat group {n}")
    kind = WebhookKind.GENERIC
    url = "https://chat.example.com/hook"


class ChatDeliveryFactory(factory.django.DjangoModelFactory):
    """A chat message in the outbox, pending, to a department's chat group (give ``webhook__url``
    to point it at a test endpoint)."""

    class Meta:
        model = Delivery

    channel = DeliveryChannel.WEBHOOK
    webhook = factory.SubFactory(ChatWebhookFactory, department=factory.SubFactory(DepartmentFactory))
    kind = "alert_opened"
    title = "Units sold at 62%"
    body = "Observed 31,000, expected 40,000."


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread notification in someone's bell (about an alert opening, by default); give it
    a ``subject`` to tie it to a row."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "alert_opened"
    title = "An alert"
