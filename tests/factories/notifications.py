import factory

from notifications.models import ChatWebhook, WebhookKind


class ChatWebhookFactory(factory.django.DjangoModelFactory):
    """A chat group's webhook; give it a ``scope`` (e.g. a campaign) or a ``department``."""

    class Meta:
        model = ChatWebhook

    name = factory.Sequence(lambda n: f"Chat group {n}")
    kind = WebhookKind.GENERIC
    url = "https://chat.example.com/hook"
