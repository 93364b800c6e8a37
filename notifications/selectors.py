"""Reads of the notifications layer: a person's notifications, the bell's count, webhooks."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from accounts.models import User

from .models import ChatWebhook, Notification


def notification_list(*, user: User) -> QuerySet[Notification]:
    """A person's own notifications, newest first."""
    return Notification.objects.filter(recipient=user)


def unread_notification_count(*, user: User) -> int:
    """For the bell: one COUNT query."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def was_notified(*, user: User, subject: models.Model) -> bool:
    """Whether a person was told about a subject (e.g. an alert)."""
    return Notification.objects.filter(
        recipient=user, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).exists()


def webhook_list() -> QuerySet[ChatWebhook]:
    """Every chat webhook, with what the list shows of its scope and department."""
    return ChatWebhook.objects.select_related("scope_type", "department")


def webhooks_of(*, scope: models.Model) -> QuerySet[ChatWebhook]:
    """The chat webhooks of one object (e.g. a campaign), active or not."""
    return ChatWebhook.objects.filter(
        scope_type=ContentType.objects.get_for_model(scope), scope_id=scope.pk
    ).select_related("department")


def department_webhooks() -> QuerySet[ChatWebhook]:
    """The chat webhooks of departments."""
    return ChatWebhook.objects.filter(department__isnull=False).select_related("department")
