"""Viewsets of the notifications API: one's own notifications, and the webhooks for
administrators. Thin: a selector for reads, a permission predicate and a service for writes."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..models import Notification
from .filters import ChatWebhookFilter, NotificationFilter
from .permissions import NotificationPermission, WebhookPermission
from .serializers import (
    ChatWebhookSerializer,
    MarkedReadSerializer,
    NotificationMarkReadSerializer,
    NotificationSerializer,
)

DEFAULT_PERMISSIONS = viewsets.GenericViewSet.permission_classes


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """One's own in-app notifications (the bell), newest first; nobody sees another
    person's. ``POST …/{id}/read/`` marks one read, ``POST …/read/`` several or all."""

    serializer_class = NotificationSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, NotificationPermission]
    filterset_class = NotificationFilter
    ordering_fields = ["created_at", "read_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is generated without a person
            return Notification.objects.none()
        return selectors.notification_list(user=self.request.user).select_related("subject_type")

    @extend_schema(request=None, responses=NotificationSerializer, operation_id="notifications_read_one")
    @action(detail=True, methods=["post"], url_path="read", url_name="read", filterset_class=None)
    def read_one(self, request, pk=None):
        notification = self.get_object()
        services.notification_mark_read(user=request.user, notification_ids=[notification.pk])
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification, context=self.get_serializer_context()).data)

    @extend_schema(
        request=NotificationMarkReadSerializer, responses=MarkedReadSerializer, operation_id="notifications_read_many"
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="read",
        url_name="read-all",
        serializer_class=NotificationMarkReadSerializer,
        filterset_class=None,
    )
    def read_many(self, request):
        given = NotificationMarkReadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        count = services.notification_mark_read(user=request.user, notification_ids=given.validated_data["ids"])
        return Response(MarkedReadSerializer({"marked_read": count}).data)


class ChatWebhookViewSet(viewsets.ReadOnlyModelViewSet):
    """The chat groups' webhooks (WeCom, DingTalk, Feishu, Slack, generic JSON), for
    administrators only; marketing managers set them up on the webhook pages."""

    serializer_class = ChatWebhookSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, WebhookPermission]
    filterset_class = ChatWebhookFilter
    ordering_fields = ["name"]

    def get_queryset(self):
        return selectors.webhook_list()
