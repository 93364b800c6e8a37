"""Serializers of the notifications API (read-only, but for marking one's own read)."""

from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import MAX_ID

from ..models import ChatWebhook, Notification, WebhookKind


def _content_type_label(content_type) -> str | None:
    return f"{content_type.app_label}.{content_type.model}" if content_type else None


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_("What happened, e.g. alert_opened or digest."))
    subject_type = serializers.SerializerMethodField(help_text=_("What it is about, e.g. tracking.alert."))
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "subject_type",
            "subject_id",
            "title",
            "body",
            "url",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_subject_type(self, obj) -> str | None:
        return _content_type_label(obj.subject_type)

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class NotificationMarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Ids of one's own notifications to mark read; leave out to mark them all read."),
    )


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField()


class ChatWebhookSerializer(serializers.ModelSerializer):
    """The URL's address holds the group's key, so only its host is shown; the signing
    secret never leaves the server."""

    kind = serializers.ChoiceField(choices=WebhookKind.choices, read_only=True)
    url_host = serializers.SerializerMethodField()
    has_secret = serializers.SerializerMethodField()
    scope_type = serializers.SerializerMethodField(help_text=_("Whose chat group it is, e.g. plans.campaign."))

    class Meta:
        model = ChatWebhook
        fields = ["id", "name", "kind", "url_host", "has_secret", "scope_type", "scope_id", "department", "is_active"]
        read_only_fields = fields

    def get_url_host(self, obj) -> str:
        return urlsplit(obj.url).netloc

    def get_has_secret(self, obj) -> bool:
        return bool(obj.secret)

    def get_scope_type(self, obj) -> str | None:
        return _content_type_label(obj.scope_type)
