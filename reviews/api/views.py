"""Viewsets of the reviews API. Reads through selectors; every write goes through the same
service and the same permission predicate as the page (reviews.permissions)."""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User
from core.api.schema import AutoSchema
from core.api.views import ReadCreateUpdateViewSet
from plans.models import CampaignType

from .. import selectors
from ..figures import live_figures
from ..forms import KnowledgeSearchForm
from ..models import ReviewState
from ..permissions import can_edit_review
from ..search import search
from ..services import actions as action_services
from ..services import lessons as lesson_services
from ..services import reviews as review_services
from .filters import FollowUpActionFilter, LessonFilter, ReviewFilter, ReviewLineFilter
from .permissions import ReviewReadPermission, ReviewWritePermission, refusal
from .serializers import (
    ActionDoneSerializer,
    FollowUpActionSerializer,
    KnowledgeSearchSerializer,
    LessonSerializer,
    ReviewCommentSerializer,
    ReviewLineSerializer,
    ReviewSerializer,
)

DEFAULT_PERMISSIONS = viewsets.GenericViewSet.permission_classes


class _ReviewPartMixin:
    """A line, lesson or action is added to a review the person may edit (the object check
    covers the rest)."""

    permission_classes = [*DEFAULT_PERMISSIONS, ReviewWritePermission]

    def check_review(self, review):
        if not can_edit_review(self.request.user, review):
            self.permission_denied(self.request, message=refusal(self.request.user, review))


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Effectiveness reviews (form 4) of campaigns: draft, final or archived. The meeting and
    the report's four parts are changed while a review is a draft (its campaign's owner and
    marketing managers); ``finalise/`` freezes its figures, ``archive/`` files a final review
    and its campaign in the knowledge base, ``comment/`` adds a remark (executives too). A
    final review is not reopened (the pages do not either)."""

    token_scope = ("campaign__plan",)  # accounts.api.scope

    serializer_class = ReviewSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, ReviewWritePermission]
    filterset_class = ReviewFilter
    ordering_fields = ["due_date", "updated_at"]

    def get_queryset(self):
        people = Prefetch("participants", queryset=User.objects.order_by("pk").only("pk"))
        return selectors.review_list().prefetch_related(people).order_by("pk")

    def perform_update(self, serializer):
        data = review_services.ReviewInput(**serializer.values())
        serializer.instance = review_services.review_update(review=serializer.instance, data=data, by=self.request.user)

    def update(self, request, *args, **kwargs):
        super().update(request, *args, **kwargs)
        return self._answer(self.get_object())

    def _answer(self, review, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=review.pk)
        return Response(ReviewSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=None, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        review = self.get_object()
        return self._answer(review_services.review_finalise(review=review, by=request.user))

    @extend_schema(request=None, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        review = self.get_object()
        return self._answer(review_services.review_archive(review=review, by=request.user))

    @extend_schema(request=ReviewCommentSerializer, responses={201: ReviewCommentSerializer})
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        review = self.get_object()
        body = ReviewCommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        text = body.validated_data["text"]
        comment = review_services.review_comment_add(review=review, author=request.user, text=text)
        return Response(ReviewCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class ReviewLineViewSet(_ReviewPartMixin, mixins.DestroyModelMixin, ReadCreateUpdateViewSet):
    """Form 4's lines: target, actual and attainment computed from the campaign's goals and
    recorded values (live while the review is a draft, frozen once final), never written: a
    request that sends one is a 400 naming it. A manager adds a line (a dimension on a goal's
    metric), writes each line's analysis and suggestion, and deletes the lines they added,
    while the review is a draft."""

    token_scope = ("review__campaign__plan",)  # accounts.api.scope

    serializer_class = ReviewLineSerializer
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

    def _data(self, serializer):
        return review_services.LineInput(
            dimension=serializer.validated_data.get("dimension", getattr(serializer.instance, "dimension", "")),
            dimension_label=serializer.validated_data.get(
                "dimension_label", getattr(serializer.instance, "dimension_label", "")
            ),
            analysis=serializer.validated_data.get("analysis", getattr(serializer.instance, "analysis", "")),
            suggestion=serializer.validated_data.get("suggestion", getattr(serializer.instance, "suggestion", "")),
            metric=serializer.validated_data.get("metric"),
            name=serializer.validated_data.get("name", ""),
        )

    def perform_create(self, serializer):
        review = serializer.validated_data["review"]
        self.check_review(review)
        serializer.instance = review_services.review_line_save(review=review, data=self._data(serializer))
        serializer.context["figures"] = _live_figures([serializer.instance])

    def perform_update(self, serializer):
        line = serializer.instance
        data = self._data(serializer)
        serializer.instance = review_services.review_line_save(review=line.review, data=data, line=line)
        serializer.context["figures"] = _live_figures([serializer.instance])

    def perform_destroy(self, instance):
        review_services.review_line_delete(line=instance)


def _live_figures(lines) -> dict:
    """Live figures of the draft reviews' lines, in one query (final ones read what is frozen)."""
    from plans.selectors import target_list

    draft = [line for line in lines if line.review.state == ReviewState.DRAFT and line.target_id]
    goals = {goal.pk: goal for goal in target_list().filter(pk__in=[line.target_id for line in draft])}
    today = timezone.localdate()
    return {line.pk: live_figures(goals[line.target_id], today=today) for line in draft if line.target_id in goals}


class LessonViewSet(_ReviewPartMixin, mixins.DestroyModelMixin, ReadCreateUpdateViewSet):
    """Lessons reviews leave (what worked, what to avoid), with what they are about (the
    campaign's type, channels, metrics, stage). Written while the review is a draft, through
    the service that also refreshes the knowledge base's search text."""

    token_scope = ("review__campaign__plan",)  # accounts.api.scope

    serializer_class = LessonSerializer
    filterset_class = LessonFilter
    ordering_fields = ["created_at", "updated_at"]

    def get_queryset(self):
        return selectors.lesson_list().order_by("pk")

    def perform_create(self, serializer):
        review = serializer.validated_data["review"]
        self.check_review(review)
        data = lesson_services.LessonInput(**serializer.values())
        serializer.instance = lesson_services.lesson_save(review=review, data=data, by=self.request.user)

    def perform_update(self, serializer):
        lesson = serializer.instance
        data = lesson_services.LessonInput(**serializer.values())
        serializer.instance = lesson_services.lesson_save(
            review=lesson.review, data=data, by=self.request.user, lesson=lesson
        )

    def perform_destroy(self, instance):
        lesson_services.lesson_delete(lesson=instance)


class FollowUpActionViewSet(_ReviewPartMixin, ReadCreateUpdateViewSet):
    """Follow-up actions (后续行动计划): added and changed while the review is a draft (its
    campaign's owner and marketing managers); ``POST …/done/`` marks one done, with a note
    (its owner or a marketing manager)."""

    token_scope = ("review__campaign__plan",)  # accounts.api.scope

    serializer_class = FollowUpActionSerializer
    filterset_class = FollowUpActionFilter
    ordering_fields = ["due_date", "updated_at"]

    def get_queryset(self):
        return selectors.follow_up_action_list().order_by("pk")

    def perform_create(self, serializer):
        review = serializer.validated_data["review"]
        self.check_review(review)
        data = action_services.ActionInput(**serializer.values())
        serializer.instance = action_services.action_save(review=review, data=data)

    def perform_update(self, serializer):
        item = serializer.instance
        data = action_services.ActionInput(**serializer.values())
        serializer.instance = action_services.action_save(review=item.review, data=data, action=item)

    @extend_schema(request=ActionDoneSerializer, responses=FollowUpActionSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        item = self.get_object()
        body = ActionDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        action_services.action_mark_done(action=item, by=request.user, note=body.validated_data.get("note", ""))
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
            OpenApiParameter("q", str, description="Keywords, in Chinese or English (up to 200 characters)."),
            OpenApiParameter("campaign_type", str, enum=["", *CampaignType.values], description="A campaign type."),
            OpenApiParameter("channel", str, description="Lessons about this channel: its id or its code."),
            OpenApiParameter("metric", str, description="Lessons about this metric: its id or its code."),
            OpenApiParameter("tag", str, description="Lessons tagged with this (part of a tag, up to 50 characters)."),
            OpenApiParameter("year", int, description="The year the campaign ended (2000–2100)."),
        ],
        responses=KnowledgeSearchSerializer,
    )
    def list(self, request):
        # The knowledge base page's form checks the parameters: the same filters, the same
        # refusals (a 400 naming the parameter).
        form = KnowledgeSearchForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError({name: list(errors) for name, errors in form.errors.items()})
        results = search(query=form.cleaned_data["q"], filters=form.filters())
        return Response(KnowledgeSearchSerializer(results).data)
