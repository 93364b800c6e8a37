"""Viewsets of the plans API. Thin: a selector for reads, a permission predicate and a
service for writes, so the API and the pages follow the same rules."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import is_administrator
from core.api.views import ReadCreateUpdateViewSet

from .. import selectors, services
from ..models import ValueSource
from ..permissions import can_move_plan, can_record_values
from .filters import (
    BudgetLineFilter,
    CampaignFilter,
    ChannelFilter,
    MetricFilter,
    MetricValueFilter,
    PlanFilter,
    PlanItemFilter,
    QuarterFocusFilter,
    TargetFilter,
)
from .permissions import (
    CampaignPermission,
    MetricValuePermission,
    PlanPartPermission,
    PlanPermission,
    ReferenceDataPermission,
    TargetPermission,
)
from .serializers import (
    BudgetLineSerializer,
    CampaignSerializer,
    CampaignStatusChangeSerializer,
    ChannelSerializer,
    MetricSerializer,
    MetricValueBulkSerializer,
    MetricValueInputSerializer,
    MetricValueSerializer,
    PlanItemSerializer,
    PlanSerializer,
    PlanStatusChangeSerializer,
    QuarterFocusSerializer,
    RecordSummarySerializer,
    TargetSerializer,
    bulk_value_rows,
    resolve_value_rows,
)

DEFAULT_PERMISSIONS = viewsets.GenericViewSet.permission_classes


# Reference data ---------------------------------------------------------------------------

CHANNEL_FIELDS = ("code", "name_en", "name_zh", "kind", "parent", "sort_order")


class ReferenceDataViewSet(viewsets.ModelViewSet):
    permission_classes = [*DEFAULT_PERMISSIONS, ReferenceDataPermission]


class ChannelViewSet(ReferenceDataViewSet):
    """Channels (online and offline, hierarchical). Everyone signed in reads; administrators
    change them."""

    token_scope = ()  # accounts.api.scope

    serializer_class = ChannelSerializer
    filterset_class = ChannelFilter
    ordering_fields = ["code", "sort_order", "updated_at"]

    def get_queryset(self):
        return selectors.channel_list()

    def perform_create(self, serializer):
        serializer.instance = services.channel_create(by=self.request.user, **serializer.values_for(*CHANNEL_FIELDS))

    def perform_update(self, serializer):
        serializer.instance = services.channel_update(
            channel=serializer.instance, by=self.request.user, **serializer.values_for(*CHANNEL_FIELDS)
        )

    def perform_destroy(self, instance):
        services.channel_delete(channel=instance, by=self.request.user)


class MetricViewSet(ReferenceDataViewSet):
    """The metric dictionary. Everyone signed in reads; administrators change it."""

    token_scope = ()  # accounts.api.scope

    serializer_class = MetricSerializer
    filterset_class = MetricFilter
    ordering_fields = ["code", "updated_at"]

    def get_queryset(self):
        # Inactive metrics too (filter with ?is_active=): old values and targets refer to them.
        return selectors.metric_list(include_inactive=True)

    def perform_create(self, serializer):
        serializer.instance = services.metric_create(data=serializer.metric_input(), by=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.metric_update(
            metric=serializer.instance, data=serializer.metric_input(), by=self.request.user
        )

    def perform_destroy(self, instance):
        services.metric_delete(metric=instance, by=self.request.user)


# Plans ------------------------------------------------------------------------------------


class PlanViewSet(ReadCreateUpdateViewSet):
    """Annual plans. Managers create and edit them; ``POST …/status/`` moves them along
    draft → approved (executives) → active → closed (managers)."""

    token_scope = ("pk",)  # accounts.api.scope

    serializer_class = PlanSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, PlanPermission]
    filterset_class = PlanFilter
    ordering_fields = ["year", "title", "status", "updated_at"]

    def get_queryset(self):
        # plan_list() aggregates, and Django drops Meta.ordering from aggregating queries.
        return selectors.plan_list().order_by("-year", "title", "pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        plan = services.plan_create(**{**data, "owner": data.get("owner") or self.request.user})
        serializer.instance = self.get_queryset().get(pk=plan.pk)

    def perform_update(self, serializer):
        plan = services.plan_update(
            plan=serializer.instance,
            override=services.FrozenOverride.administrator(self.request.user),
            **serializer.validated_data,
        )
        serializer.instance = self.get_queryset().get(pk=plan.pk)

    @extend_schema(request=PlanStatusChangeSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], serializer_class=PlanStatusChangeSerializer)
    def status(self, request, pk=None):
        plan = self.get_object()
        change = PlanStatusChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        wanted, force = change.validated_data["status"], change.validated_data["force"]
        if not can_move_plan(request.user, plan, wanted):
            self.permission_denied(request, message=_("You may not move this plan to that status."))
        if force and not is_administrator(request.user):
            self.permission_denied(request, message=_("Only administrators may force a status change."))
        services.plan_set_status(plan=plan, status=wanted, by=request.user, force=force)
        return Response(PlanSerializer(self.get_queryset().get(pk=plan.pk), context=self.get_serializer_context()).data)


class PlanPartMixin:
    """A part of a plan: whoever may edit the plan changes it."""

    permission_classes = [*DEFAULT_PERMISSIONS, PlanPartPermission]

    def check_plan_permission(self, plan):
        self.check_object_permissions(self.request, plan)


class PlanItemViewSet(PlanPartMixin, mixins.DestroyModelMixin, ReadCreateUpdateViewSet):
    """The narrative of plans: last year's review, problems and challenges, strategies and
    safeguards, each item in its section and category."""

    token_scope = ("plan",)  # accounts.api.scope

    serializer_class = PlanItemSerializer
    filterset_class = PlanItemFilter
    ordering_fields = ["section", "category", "sort_order", "updated_at"]

    def get_queryset(self):
        return selectors.plan_item_list()

    def perform_create(self, serializer):
        plan = serializer.validated_data["plan"]
        self.check_plan_permission(plan)
        serializer.instance = services.plan_item_save(
            plan=plan, **serializer.values_for("section", "category", "sort_order"), **serializer.texts()
        )

    def perform_update(self, serializer):
        item = serializer.instance
        serializer.instance = services.plan_item_save(
            plan=item.plan,
            item=item,
            **serializer.values_for("section", "category", "sort_order"),
            **serializer.texts(),
        )

    def perform_destroy(self, instance):
        services.plan_item_delete(item=instance)


class QuarterFocusViewSet(PlanPartMixin, ReadCreateUpdateViewSet):
    """The theme and key actions of each quarter of a plan (Q1 launch … Q4 review)."""

    token_scope = ("plan",)  # accounts.api.scope

    serializer_class = QuarterFocusSerializer
    filterset_class = QuarterFocusFilter
    ordering_fields = ["quarter", "updated_at"]

    def get_queryset(self):
        return selectors.quarter_focus_list()

    def perform_create(self, serializer):
        plan = serializer.validated_data["plan"]
        self.check_plan_permission(plan)
        serializer.instance = services.quarter_focus_set(
            plan=plan, **serializer.values_for("quarter"), **serializer.texts()
        )

    def perform_update(self, serializer):
        focus = serializer.instance
        serializer.instance = services.quarter_focus_set(plan=focus.plan, quarter=focus.quarter, **serializer.texts())


class BudgetLineViewSet(PlanPartMixin, viewsets.ModelViewSet):
    """Budget lines of plans with their share of the plan's budget."""

    token_scope = ("plan",)  # accounts.api.scope

    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter
    ordering_fields = ["category", "planned_amount", "updated_at"]

    def get_queryset(self):
        return selectors.budget_line_list()

    def perform_create(self, serializer):
        plan = serializer.validated_data["plan"]
        self.check_plan_permission(plan)
        line = services.budget_line_save(
            plan=plan,
            override=services.FrozenOverride.administrator(self.request.user),
            **serializer.values_for("category", "planned_amount", "channel", "description"),
        )
        serializer.instance = self.get_queryset().get(pk=line.pk)

    def perform_update(self, serializer):
        line = serializer.instance
        line = services.budget_line_save(
            plan=line.plan,
            line=line,
            override=services.FrozenOverride.administrator(self.request.user),
            **serializer.values_for("category", "planned_amount", "channel", "description"),
        )
        serializer.instance = self.get_queryset().get(pk=line.pk)

    def perform_destroy(self, instance):
        services.budget_line_delete(line=instance, override=services.FrozenOverride.administrator(self.request.user))


# Targets ----------------------------------------------------------------------------------


class TargetViewSet(viewsets.ModelViewSet):
    """Goals of plans and campaigns, and sub-goals, with their actual and attainment
    (actual / target, expected to date, pace, status), as the pages show them."""

    token_scope = ("plan", "campaign__plan")  # accounts.api.scope

    serializer_class = TargetSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, TargetPermission]
    filterset_class = TargetFilter
    ordering_fields = ["sort_order", "target_value", "period_start", "period_end", "updated_at"]

    def get_queryset(self):
        return selectors.target_list()

    def get_serializer_context(self):
        # One "today" for every row of a response.
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def perform_create(self, serializer):
        data = serializer.validated_data
        parent = data.get("parent")
        if parent is not None:
            self.check_object_permissions(self.request, parent)
        else:
            self.check_object_permissions(self.request, data.get("plan") or data.get("campaign"))
        target = services.target_save(
            data=serializer.target_input(),
            plan=data.get("plan"),
            campaign=data.get("campaign"),
            parent=parent,
            override=services.FrozenOverride.administrator(self.request.user),
        )
        serializer.instance = self.get_queryset().get(pk=target.pk)

    def perform_update(self, serializer):
        target = services.target_save(
            data=serializer.target_input(),
            target=serializer.instance,
            override=services.FrozenOverride.administrator(self.request.user),
        )
        serializer.instance = self.get_queryset().get(pk=target.pk)

    def perform_destroy(self, instance):
        services.target_delete(target=instance, override=services.FrozenOverride.administrator(self.request.user))


# Campaigns --------------------------------------------------------------------------------


class CampaignViewSet(ReadCreateUpdateViewSet):
    """Campaigns of plans. Managers create them; managers and the owner change them and move
    them forward (planning → executing → reviewing → archived) with ``POST …/status/``."""

    token_scope = ("plan",)  # accounts.api.scope

    serializer_class = CampaignSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, CampaignPermission]
    filterset_class = CampaignFilter
    ordering_fields = ["start_date", "end_date", "name", "budget", "updated_at"]

    # The service that creates a campaign; the project's API serves this route through
    # tasks.api.views.CampaignViewSet, whose service also gives the campaign its stages.
    create_service = staticmethod(services.campaign_create)

    def get_queryset(self):
        return selectors.campaign_list()

    def perform_create(self, serializer):
        data = serializer.validated_data
        campaign = self.create_service(
            **{**data, "owner": data.get("owner") or self.request.user}, by=self.request.user
        )
        serializer.instance = self.get_queryset().get(pk=campaign.pk)

    def perform_update(self, serializer):
        campaign = services.campaign_update(
            campaign=serializer.instance,
            override=services.FrozenOverride.administrator(self.request.user),
            **serializer.validated_data,
        )
        serializer.instance = self.get_queryset().get(pk=campaign.pk)

    @extend_schema(request=CampaignStatusChangeSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"], serializer_class=CampaignStatusChangeSerializer)
    def status(self, request, pk=None):
        campaign = self.get_object()
        change = CampaignStatusChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        force = change.validated_data["force"]
        if force and not is_administrator(request.user):
            self.permission_denied(request, message=_("Only administrators may force a status change."))
        services.campaign_set_status(
            campaign=campaign, status=change.validated_data["status"], by=request.user, force=force
        )
        campaign = self.get_queryset().get(pk=campaign.pk)
        return Response(CampaignSerializer(campaign, context=self.get_serializer_context()).data)


# Metric values ----------------------------------------------------------------------------


class MetricValueViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Actuals measured against the plan. Other systems push them with ``POST`` (one value)
    or ``POST …/bulk/`` (many, all or nothing); recording the same metric, campaign (or
    plan), channel and date again updates the value, never duplicates it."""

    token_scope = ("plan",)  # accounts.api.scope

    serializer_class = MetricValueSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, MetricValuePermission]
    filterset_class = MetricValueFilter
    ordering_fields = ["date", "value", "recorded_at"]

    def get_queryset(self):
        return selectors.metric_value_list()

    @extend_schema(
        request=MetricValueInputSerializer,
        responses={
            201: OpenApiResponse(RecordSummarySerializer, description=_("The value was recorded.")),
            200: OpenApiResponse(RecordSummarySerializer, description=_("The value was already there: updated.")),
        },
    )
    def create(self, request, *args, **kwargs):
        """Record one value; a bad field gives 400 naming it. The answer counts the value as
        created or updated."""
        rows, errors = resolve_value_rows([request.data])
        if errors:
            raise serializers.ValidationError(errors[1])
        return self._record(rows)

    @extend_schema(
        request=MetricValueBulkSerializer,
        responses={
            201: OpenApiResponse(RecordSummarySerializer, description=_("Values were recorded (some may be updates).")),
            200: OpenApiResponse(RecordSummarySerializer, description=_("Every value was already there: updated.")),
        },
    )
    @action(detail=False, methods=["post"], serializer_class=MetricValueBulkSerializer)
    def bulk(self, request):
        """Record many values, all or nothing. Bad rows give 400 with
        ``{"rows": {"<row number, from 1>": {"<field>": ["<problem>"]}}}`` and nothing is
        recorded; a row the person may not record gives 403, naming it."""
        rows, errors = resolve_value_rows(bulk_value_rows(request.data))
        if errors:
            # Numbered from 1, like the rows of a spreadsheet and the service's messages.
            raise serializers.ValidationError({"rows": {str(number): problems for number, problems in errors.items()}})
        return self._record(rows)

    def _record(self, rows):
        refused = [
            number for number, row in enumerate(rows, start=1) if not can_record_values(self.request.user, row.campaign)
        ]
        if refused and self.action == "create":
            self.permission_denied(self.request, message=_("You may not record values for this campaign or plan."))
        if refused:
            self.permission_denied(
                self.request,
                message=_("You may not record values for rows %(rows)s: nothing was recorded.")
                % {"rows": ", ".join(str(number) for number in refused)},
            )
        summary = services.metric_values_record(rows=rows, source=ValueSource.API, recorded_by=self.request.user)
        return Response(
            RecordSummarySerializer(summary).data,
            status=status.HTTP_201_CREATED if summary.created else status.HTTP_200_OK,
        )
