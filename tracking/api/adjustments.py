"""The adjustments API: create a request, list and read them (filters: state, kind, campaign,
plan, requester, approver, ``updated_after``), approve, reject and withdraw. The same
permission predicates and services as the pages."""

from datetime import date

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import User
from core.api.filters import FilterSet, updated_after
from core.api.serializers import IdRelatedField
from plans.calendar import calendar_overrides
from plans.models import AnnualPlan, Campaign
from tasks.models import Task

from .. import adjustment_selectors as selectors
from ..models import (
    Adjustment,
    AdjustmentChange,
    AdjustmentDecision,
    AdjustmentKind,
    AdjustmentState,
    Alert,
    ApprovalStep,
    ChangeSubject,
    Issue,
)
from ..permissions import can_request_adjustment, can_view_adjustments, can_withdraw_adjustment, may_decide
from ..services import adjustments as services
from .serializers import _enum_field

AdjustmentKindField = _enum_field(AdjustmentKind, "AdjustmentKindEnum")
AdjustmentStateField = _enum_field(AdjustmentState, "AdjustmentStateEnum")
ApprovalStepField = _enum_field(ApprovalStep, "ApprovalStepEnum")
ChangeSubjectField = _enum_field(ChangeSubject, "ChangeSubjectEnum")

DEFAULT_PERMISSIONS = viewsets.GenericViewSet.permission_classes


class AdjustmentChangeSerializer(serializers.ModelSerializer):
    subject = ChangeSubjectField(read_only=True)
    label = serializers.CharField(read_only=True, help_text=_("What it changes, in the language of the request."))

    class Meta:
        model = AdjustmentChange
        fields = ["subject", "object_id", "field", "label", "before", "after"]
        read_only_fields = fields


class AdjustmentDecisionSerializer(serializers.ModelSerializer):
    step = ApprovalStepField(read_only=True)
    by_name = serializers.CharField(source="by.display_name", read_only=True)

    class Meta:
        model = AdjustmentDecision
        fields = ["step", "approved", "by", "by_name", "at", "note"]
        read_only_fields = fields


class AdjustmentSerializer(serializers.ModelSerializer):
    kind = AdjustmentKindField(read_only=True)
    state = AdjustmentStateField(read_only=True)
    awaiting = serializers.CharField(
        read_only=True,
        help_text=_("Whose decision a pending request awaits: owner, lead or executive; empty once decided."),
    )
    requested_by_name = serializers.CharField(source="requested_by.display_name", read_only=True)
    changes = AdjustmentChangeSerializer(many=True, read_only=True)
    decisions = AdjustmentDecisionSerializer(many=True, read_only=True)
    pending_working_days = serializers.SerializerMethodField(help_text=_("Working days since it was requested."))
    overdue = serializers.SerializerMethodField(help_text=_("Pending for more than two working days."))
    url = serializers.SerializerMethodField(help_text=_("The request's page."))

    class Meta:
        model = Adjustment
        fields = [
            "id",
            "plan",
            "campaign",
            "kind",
            "state",
            "major",
            "awaiting",
            "reason",
            "expected_effect",
            "changes_total",
            "changes",
            "alerts",
            "issues",
            "requested_by",
            "requested_by_name",
            "created_at",
            "decisions",
            "rejection_reason",
            "decided_at",
            "applied_at",
            "pending_working_days",
            "overdue",
            "url",
            "updated_at",
        ]
        read_only_fields = fields

    def _today(self):
        return self.context.get("today") or timezone.localdate()

    def _calendar(self) -> dict:
        """The administrator's holiday table up to today, read once per response (a page of
        requests counts all its ages from it)."""
        if "calendar_overrides" not in self.context:
            self.context["calendar_overrides"] = calendar_overrides(start=date.min, end=self._today())
        return self.context["calendar_overrides"]

    def get_pending_working_days(self, obj) -> int:
        return obj.pending_working_days(self._today(), overrides=self._calendar())

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(self._today(), overrides=self._calendar())

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class ProposedChangeSerializer(serializers.Serializer):
    subject = ChangeSubjectField(
        help_text=_("What is changed: target, campaign, plan, budget_line, milestone, task, plan_item.")
    )
    object_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text=_("Its id."))
    field = serializers.CharField(
        max_length=30,
        help_text=_(
            "target: target_value, q1–q4; budget: budget (campaign, plan), planned_amount (budget line); schedule: "
            "start_date, end_date (campaign), due_date (milestone), start_date, due_date (task); strategy: "
            "description (campaign), body_zh, body_en (plan item)."
        ),
    )
    after = serializers.CharField(
        allow_blank=True, max_length=20000, help_text=_("The proposed value: a number, a date (YYYY-MM-DD) or a text.")
    )


class AdjustmentRequestSerializer(serializers.Serializer):
    kind = AdjustmentKindField()
    campaign = IdRelatedField(
        queryset=Campaign.objects.select_related("plan", "owner"), required=False, allow_null=True
    )
    plan = IdRelatedField(
        queryset=AnnualPlan.objects.all(), required=False, allow_null=True, help_text=_("For a plan's own values.")
    )
    reason = serializers.CharField(max_length=5000)
    expected_effect = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    changes_total = serializers.BooleanField(
        required=False, default=False, help_text=_("A reallocation between budget lines that changes their total.")
    )
    changes = ProposedChangeSerializer(many=True, allow_empty=False, max_length=500)
    alerts = IdRelatedField(queryset=Alert.objects.all(), many=True, required=False)
    issues = IdRelatedField(queryset=Issue.objects.all(), many=True, required=False)

    def validate(self, attrs):
        if not attrs.get("campaign") and not attrs.get("plan"):
            raise serializers.ValidationError({"campaign": _("Give the campaign or the plan to adjust.")})
        return attrs


class ApproveSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000, help_text=_("Required: why it is rejected.")
    )


class WithdrawSerializer(serializers.Serializer):
    """Nothing to say: the requester takes the request back."""


class AdjustmentFilter(FilterSet):
    requester = django_filters.ModelChoiceFilter(
        field_name="requested_by", queryset=User.objects.all(), label=_("Requested by this user id.")
    )
    approver = django_filters.ModelChoiceFilter(
        field_name="decisions__by",
        distinct=True,
        queryset=User.objects.all(),
        label=_("Decided (approved or rejected) by this user id."),
    )
    updated_after = updated_after()

    class Meta:
        model = Adjustment
        fields = ["state", "kind", "campaign", "plan", "requester", "approver", "updated_after"]


class AdjustmentPermission(permissions.BasePermission):
    """Everyone signed in reads adjustments; who requests and who decides is settled by the
    same predicates as the pages (in the viewset, once the request's scope is known)."""

    def has_permission(self, request, view):
        return can_view_adjustments(request.user)


class AdjustmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Adjustments (动态调整) of plans and campaigns, newest first, with their before / after
    values and decisions. ``POST`` requests one; ``…/approve/``, ``…/reject/`` (a reason is
    required) and ``…/withdraw/`` (the requester, while pending) decide it. A minor request
    is approved by the campaign's owner; a major one by the marketing lead (the plan's owner)
    and then an executive; nobody decides their own request."""

    token_scope = ("plan",)  # accounts.api.scope

    serializer_class = AdjustmentSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, AdjustmentPermission]
    filterset_class = AdjustmentFilter
    ordering_fields = ["created_at", "updated_at", "state", "kind"]

    def get_queryset(self):
        return selectors.adjustment_queryset()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _answer(self, adjustment, status=200):
        adjustment = self.get_queryset().get(pk=adjustment.pk)
        return Response(AdjustmentSerializer(adjustment, context=self.get_serializer_context()).data, status=status)

    @extend_schema(request=AdjustmentRequestSerializer, responses={201: AdjustmentSerializer})
    def create(self, request, *args, **kwargs):
        given = AdjustmentRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        campaign = data.get("campaign")
        plan = campaign.plan if campaign else data["plan"]
        task_ids = [row["object_id"] for row in data["changes"] if row["subject"] == ChangeSubject.TASK]
        only_tasks = len(task_ids) == len(data["changes"])
        tasks = list(Task.objects.filter(pk__in=task_ids, campaign=campaign)) if campaign and only_tasks else []
        if not can_request_adjustment(request.user, plan=plan, campaign=campaign, kind=data["kind"], tasks=tasks):
            raise PermissionDenied(_("You may not request this adjustment."))
        adjustment = services.adjustment_request(
            by=request.user,
            kind=data["kind"],
            campaign=campaign,
            plan=None if campaign else plan,
            reason=data["reason"],
            expected_effect=data["expected_effect"],
            changes_total=data["changes_total"],
            alerts=data.get("alerts") or [],
            issues=data.get("issues") or [],
            changes=[services.ProposedChange(**row) for row in data["changes"]],
        )
        return self._answer(adjustment, status=201)

    @extend_schema(request=ApproveSerializer, responses=AdjustmentSerializer)
    @action(detail=True, methods=["post"], serializer_class=ApproveSerializer, filterset_class=None)
    def approve(self, request, pk=None):
        """Approve the step the request awaits; the last approval applies it."""
        adjustment = self.get_object()
        if adjustment.state == AdjustmentState.PENDING and not may_decide(request.user, adjustment):
            raise PermissionDenied(_("You do not decide this request."))
        given = ApproveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.adjustment_approve(adjustment=adjustment, by=request.user, note=given.validated_data["note"])
        return self._answer(adjustment)

    @extend_schema(request=RejectSerializer, responses=AdjustmentSerializer)
    @action(detail=True, methods=["post"], serializer_class=RejectSerializer, filterset_class=None)
    def reject(self, request, pk=None):
        """Reject the request, saying why."""
        adjustment = self.get_object()
        if adjustment.state == AdjustmentState.PENDING and not may_decide(request.user, adjustment):
            raise PermissionDenied(_("You do not decide this request."))
        given = RejectSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.adjustment_reject(adjustment=adjustment, by=request.user, reason=given.validated_data["reason"])
        return self._answer(adjustment)

    @extend_schema(request=None, responses=AdjustmentSerializer)
    @action(detail=True, methods=["post"], serializer_class=WithdrawSerializer, filterset_class=None)
    def withdraw(self, request, pk=None):
        """The requester takes back a pending request."""
        adjustment = self.get_object()
        if adjustment.state == AdjustmentState.PENDING and not can_withdraw_adjustment(request.user, adjustment):
            raise PermissionDenied(_("Only the person who requested it withdraws a request."))
        services.adjustment_withdraw(adjustment=adjustment, by=request.user)
        return self._answer(adjustment)
