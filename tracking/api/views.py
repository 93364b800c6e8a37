"""Viewsets of the tracking API. Thin: a selector for reads, a permission predicate and a
service for writes, so the API and the pages follow the same rules."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.views import ReadCreateUpdateViewSet

from .. import selectors
from ..services import alerts, issues, thresholds
from .filters import AlertFilter, ThresholdFilter
from .permissions import AlertPermission, ThresholdPermission
from .serializers import (
    AlertAcknowledgeSerializer,
    AlertResolveSerializer,
    AlertSerializer,
    ThresholdSerializer,
)

DEFAULT_PERMISSIONS = viewsets.GenericViewSet.permission_classes


class ThresholdViewSet(ReadCreateUpdateViewSet):
    """Warning thresholds (预警阈值) on plan targets, campaign goals and sub-goals, and whole
    campaigns, each with its rule in words. Marketing managers, and a campaign's owner for
    their campaign, create and change them; a threshold is switched off with
    ``is_active: false`` rather than deleted, so its alerts keep their history. A threshold
    that cannot be checked (a missing percentage, bound, metric…) is refused with 400 naming
    the field."""

    token_scope = ("plan", "campaign__plan", "target__plan", "target__campaign__plan")  # accounts.api.scope

    serializer_class = ThresholdSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, ThresholdPermission]
    filterset_class = ThresholdFilter
    ordering_fields = ["kind", "severity", "created_at", "updated_at"]

    def get_queryset(self):
        return selectors.threshold_list()

    def perform_create(self, serializer):
        campaign, plan = serializer.scope(serializer.validated_data)
        self.check_object_permissions(self.request, campaign or plan)
        values = serializer.values_for(*thresholds.THRESHOLD_FIELDS)
        threshold = thresholds.threshold_create(
            **values, recipients=serializer.validated_data.get("recipients") or [], by=self.request.user
        )
        serializer.instance = self.get_queryset().get(pk=threshold.pk)

    def perform_update(self, serializer):
        threshold = thresholds.threshold_update(
            threshold=serializer.instance,
            **serializer.values_for(*thresholds.THRESHOLD_FIELDS),
            recipients=serializer.validated_data.get("recipients"),
            by=self.request.user,
        )
        serializer.instance = self.get_queryset().get(pk=threshold.pk)


class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """Alerts raised by the thresholds, newest first, with the rule in words and whether each
    is overdue for acknowledgement. ``POST …/acknowledge/`` starts the analysis (the note
    is required) and ``POST …/resolve/`` closes an alert: for the campaign's owner,
    marketing managers and the people the alert was sent to."""

    token_scope = ("campaign__plan", "threshold__plan", "threshold__target__plan", "threshold__target__campaign__plan")

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
        note, issue = given.validated_data["analysis_note"], given.validated_data["issue"]
        if issue is not None:
            issues.alert_acknowledge_with_issue(alert=alert, issue=issue, by=request.user, note=note)
        else:
            alerts.alert_acknowledge(alert=alert, by=request.user, note=note)
        return self._answer(alert)

    @extend_schema(request=AlertResolveSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"], serializer_class=AlertResolveSerializer, filterset_class=None)
    def resolve(self, request, pk=None):
        """Close an open or acknowledged alert by hand."""
        alert = self.get_object()
        given = AlertResolveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        alerts.alert_resolve(alert=alert, by=request.user, note=given.validated_data["note"])
        return self._answer(alert)
