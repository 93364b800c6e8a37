"""Viewsets of the tracking API. Thin: a selector for reads, a permission predicate and a
service for writes, so the API and the pages follow the same rules."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.views import ReadCreateUpdateViewSet

from .. import selectors, services
from ..models import Notification, Threshold
from .filters import AlertFilter, ChatWebhookFilter, NotificationFilter, ThresholdFilter
from .permissions import AlertPermission, NotificationPermission, ThresholdPermission, WebhookPermission
from .serializers import (
    AlertAcknowledgeSerializer,
    AlertResolveSerializer,
    AlertSerializer,
    ChatWebhookSerializer,
    MarkedReadSerializer,
    NotificationMarkReadSerializer,
    NotificationSerializer,
    ThresholdSerializer,
)

DEFAULT_PERMISSIONS = viewsets.GenericViewSet.permission_classes
THRESHOLD_FIELDS = [
    "kind",
    "target",
    "campaign",
    "plan",
    "metric",
    "channel",
    "percent",
    "paced",
    "bound",
    "window_days",
    "benchmark_value",
    "benchmark_source",
    "budget_line",
    "min_count",
    "severity",
    "is_active",
]


class ThresholdViewSet(ReadCreateUpdateViewSet):
    """Warning thresholds (预警阈值) on plan targets, campaign goals and sub-goals, and whole
    campaigns, each with its rule in words. Marketing managers, and a campaign's owner for
    their campaign, create and change them; a threshold is switched off with
    ``is_active: false`` rather than deleted, so its alerts keep their history. A threshold
    that cannot be checked (a missing percentage, bound, metric…) is refused with 400 naming
    the field."""

    serializer_class = ThresholdSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, ThresholdPermission]
    filterset_class = ThresholdFilter
    ordering_fields = ["kind", "severity", "created_at", "updated_at"]

    def get_queryset(self):
        return selectors.threshold_list()

    def _save(self, serializer, threshold: Threshold):
        data = serializer.values_for(*THRESHOLD_FIELDS)
        for name, value in data.items():
            setattr(threshold, name, value)
        recipients = serializer.validated_data.get("recipients")
        threshold = services.threshold_save(
            threshold=threshold,
            recipients=None if recipients is None else list(recipients),
            by=self.request.user,
        )
        serializer.instance = self.get_queryset().get(pk=threshold.pk)

    def perform_create(self, serializer):
        campaign, plan = serializer.scope(serializer.validated_data)
        self.check_object_permissions(self.request, campaign or plan)
        self._save(serializer, Threshold())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """Alerts raised by the thresholds, newest first, with the rule in words and whether each
    is overdue for acknowledgement. ``POST …/acknowledge/`` starts the analysis (the note
    is required) and ``POST …/resolve/`` closes an alert: for the campaign's owner,
    marketing managers and the people the alert was sent to."""

    serializer_class = AlertSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, AlertPermission]
    filterset_class = AlertFilter
    ordering_fields = ["opened_at", "severity", "state", "updated_at"]

    def get_queryset(self):
        return selectors.alert_queryset()

    def get_serializer_context(self):
        # One "now" for every row of a response.
        return {**super().get_serializer_context(), "now": timezone.now()}

    def _answer(self, alert):
        alert = self.get_queryset().get(pk=alert.pk)
        return Response(AlertSerializer(alert, context=self.get_serializer_context()).data)

    @extend_schema(request=AlertAcknowledgeSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"], serializer_class=AlertAcknowledgeSerializer, filterset_class=None)
    def acknowledge(self, request, pk=None):
        """Start the analysis of an open alert: say what is being looked at and by whom."""
        alert = self.get_object()
        given = AlertAcknowledgeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.alert_acknowledge(alert=alert, by=request.user, note=given.validated_data["analysis_note"])
        return self._answer(alert)

    @extend_schema(request=AlertResolveSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"], serializer_class=AlertResolveSerializer, filterset_class=None)
    def resolve(self, request, pk=None):
        """Close an open or acknowledged alert by hand."""
        alert = self.get_object()
        given = AlertResolveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.alert_resolve(alert=alert, by=request.user, note=given.validated_data["note"])
        return self._answer(alert)


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
        return selectors.notification_list(user=self.request.user)

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
    administrators only; administrators change them in the admin."""

    serializer_class = ChatWebhookSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, WebhookPermission]
    filterset_class = ChatWebhookFilter
    ordering_fields = ["name"]

    def get_queryset(self):
        return selectors.webhook_list()
