"""Viewsets of the reviews API. Reads through selectors; marking a follow-up action done goes
through the same service as the page."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.schema import AutoSchema

from .. import selectors
from ..figures import live_figures
from ..models import ReviewState
from ..search import Filters, search
from ..services.actions import action_mark_done
from .filters import FollowUpActionFilter, LessonFilter, ReviewFilter, ReviewLineFilter
from .permissions import ActionPermission, ReviewReadPermission
from .serializers import (
    ActionDoneSerializer,
    FollowUpActionSerializer,
    KnowledgeSearchSerializer,
    LessonSerializer,
    ReviewLineSerializer,
    ReviewSerializer,
)

DEFAULT_PERMISSIONS = viewsets.GenericViewSet.permission_classes


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """Effectiveness reviews (form 4) of campaigns: draft, final or archived."""

    token_scope = ("campaign__plan",)  # accounts.api.scope

    serializer_class = ReviewSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, ReviewReadPermission]
    filterset_class = ReviewFilter
    ordering_fields = ["due_date", "updated_at"]

    def get_queryset(self):
        return selectors.review_list().order_by("pk")


class ReviewLineViewSet(viewsets.ReadOnlyModelViewSet):
    """Form 4's lines: target, actual and attainment computed from the campaign's goals and
    recorded values (live while the review is a draft, frozen once final)."""

    token_scope = ("review__campaign__plan",)  # accounts.api.scope

    serializer_class = ReviewLineSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, ReviewReadPermission]
    filterset_class = ReviewLineFilter
    ordering_fields = ["sort_order", "updated_at"]

    def get_queryset(self):
        return selectors.review_line_list()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "figures": getattr(self, "_figures", {})}

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        self._figures = _live_figures(rows)
        return page


def _live_figures(lines) -> dict:
    """Live figures of the draft reviews' lines, in one query (final ones read what is frozen)."""
    from plans.selectors import target_list

    draft = [line for line in lines if line.review.state == ReviewState.DRAFT and line.target_id]
    goals = {goal.pk: goal for goal in target_list().filter(pk__in=[line.target_id for line in draft])}
    today = timezone.localdate()
    return {line.pk: live_figures(goals[line.target_id], today=today) for line in draft if line.target_id in goals}


class LessonViewSet(viewsets.ReadOnlyModelViewSet):
    """Lessons reviews leave (what worked, what to avoid), with what they are about."""

    token_scope = ("review__campaign__plan",)  # accounts.api.scope

    serializer_class = LessonSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, ReviewReadPermission]
    filterset_class = LessonFilter
    ordering_fields = ["created_at", "updated_at"]

    def get_queryset(self):
        return selectors.lesson_list().order_by("pk")


class FollowUpActionViewSet(viewsets.ReadOnlyModelViewSet):
    """Follow-up actions (后续行动计划); ``POST …/done/`` marks one done, with a note."""

    token_scope = ("review__campaign__plan",)  # accounts.api.scope

    serializer_class = FollowUpActionSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, ActionPermission]
    filterset_class = FollowUpActionFilter
    ordering_fields = ["due_date", "updated_at"]

    def get_queryset(self):
        return selectors.follow_up_action_list().order_by("pk")

    @extend_schema(request=ActionDoneSerializer, responses=FollowUpActionSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        item = self.get_object()
        body = ActionDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        action_mark_done(action=item, by=request.user, note=body.validated_data.get("note", ""))
        return Response(FollowUpActionSerializer(self.get_queryset().get(pk=item.pk)).data)


class _OneResultSchema(AutoSchema):
    """The search answers one object (its words, lessons and reviews), not a list of them,
    although it is served as the viewset's list action."""

    def _is_list_view(self, serializer=None) -> bool:
        return False

    def _error_codes(self) -> list[str]:
        return ["400", *super()._error_codes()]  # its parameters can be bad input too


class KnowledgeSearchViewSet(viewsets.ViewSet):
    """The knowledge base's search: lessons and reviews of archived campaigns holding every
    word of ``q`` (Chinese is segmented: 直播 finds 抖音直播带货), best first."""

    permission_classes = [*DEFAULT_PERMISSIONS, ReviewReadPermission]
    schema = _OneResultSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Keywords, in Chinese or English."),
            OpenApiParameter("campaign_type", str),
            OpenApiParameter("year", int),
        ],
        responses=KnowledgeSearchSerializer,
    )
    def list(self, request):
        params = _SearchParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        results = search(
            query=data.get("q", ""),
            filters=Filters(campaign_type=data.get("campaign_type", ""), year=data.get("year")),
        )
        return Response(KnowledgeSearchSerializer(results).data)


class _SearchParams(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    campaign_type = serializers.ChoiceField(
        required=False, allow_blank=True, choices=["", "launch", "promotion", "brand", "regional"]
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
