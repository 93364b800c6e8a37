"""The issue register (form 3) in the API: /api/v1/issues/. Reads follow the pages (each
person reads the issues the register shows them); writes go through tracking.services.issues
with the same permission predicates as the pages."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api.filters import FilterSet, updated_after
from core.api.serializers import IdRelatedField, ServiceInputMixin
from core.api.views import ReadCreateUpdateViewSet
from tasks.models import Task

from .. import permissions as rules
from ..models import Alert, Issue, IssueState
from ..selectors import issues as selectors
from ..services import issues as services
from .serializers import SeverityField, _enum_field

IssueStateField = _enum_field(IssueState, "IssueStateEnum")
UNRESOLVED = "unresolved"


class IssueSerializer(ServiceInputMixin, serializers.ModelSerializer):
    severity = SeverityField(required=False, help_text=_("Defaults to warning."))
    state = IssueStateField(read_only=True, help_text=_("Changed with POST …/state/."))
    affected_tasks = IdRelatedField(
        queryset=Task.objects.all(),
        many=True,
        required=False,
        help_text=_("Ids of the campaign's tasks the problem affects (影响任务)."),
    )
    alerts = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=_("Ids of the alerts the issue came from.")
    )
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    # Method fields, not dotted sources with a default: a partial update would leave those out.
    department_name = serializers.SerializerMethodField(help_text=_("The responsible department's name."))
    owner_name = serializers.SerializerMethodField(help_text=_("The owner's name."))
    overdue = serializers.SerializerMethodField(help_text=_("Past its deadline (完成时限) and not resolved."))
    url = serializers.SerializerMethodField(help_text=_("The issue's page."))

    class Meta:
        model = Issue
        fields = [
            "id",
            "campaign",
            "campaign_name",
            "description",
            "occurred_at",
            "affected_tasks",
            "department",
            "department_name",
            "temporary_measure",
            "root_cause",
            "long_term_solution",
            "deadline",
            "owner",
            "owner_name",
            "state",
            "state_reason",
            "severity",
            "overdue",
            "alerts",
            "created_by",
            "created_at",
            "resolved_at",
            "updated_at",
            "url",
        ]
        read_only_fields = ["state_reason", "created_by", "created_at", "resolved_at", "updated_at"]
        create_only_fields = ["campaign"]
        extra_kwargs = {
            "description": {"help_text": _("问题描述: the problem.")},
            "occurred_at": {"help_text": _("发生时间: when it occurred (ISO 8601).")},
            "department": {"help_text": _("责任部门: the responsible department's id.")},
            "deadline": {"help_text": _("完成时限: the deadline, not before the occurrence.")},
            "owner": {"help_text": _("责任人: the owner's user id.")},
        }

    def get_department_name(self, obj) -> str | None:
        return obj.department.name if obj.department_id else None

    def get_owner_name(self, obj) -> str | None:
        return obj.owner.display_name if obj.owner_id else None

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(self.context.get("today") or timezone.localdate())

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class IssueStateSerializer(serializers.Serializer):
    state = IssueStateField(help_text=_("open, mitigated or resolved."))
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("Why; required to reopen a resolved issue.")
    )


class IssueFromAlertSerializer(serializers.Serializer):
    alert = IdRelatedField(queryset=Alert.objects.select_related("campaign"), help_text=_("The alert's id."))


class IssueFilter(FilterSet):
    state = django_filters.ChoiceFilter(
        choices=[(UNRESOLVED, _("unresolved (open or mitigated)")), *IssueState.choices],
        method="filter_state",
        label=_("State; “unresolved” is open or mitigated."),
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Only issues past their deadline and not resolved (true), or only the others (false)."),
    )
    updated_after = updated_after()

    class Meta:
        model = Issue
        fields = ["campaign", "state", "department", "owner", "severity", "overdue", "updated_after"]

    def filter_state(self, queryset, name, value):
        if value == UNRESOLVED:
            return queryset.unresolved()
        return queryset.filter(state=value)

    def filter_overdue(self, queryset, name, value):
        overdue = Issue.objects.overdue(today=timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class IssuePermission(permissions.BasePermission):
    """Everyone signed in lists the issues they may read; writes as the pages allow them."""

    message = _("You may not change this issue.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)


class IssueViewSet(ReadCreateUpdateViewSet):
    """The issue register (问题记录, form 3 of the execution template): each issue in the
    template's columns, with its state, severity and the alerts it came from. Marketing
    managers and a campaign's owner manage its issues; a department's lead and an issue's
    owner update it; the Responsible and Accountable of an affected task may only set the
    temporary measure. A deadline before the occurrence, or a task of another campaign, is a
    400 naming the field. ``POST …/state/`` moves an issue (a reason reopens one);
    ``POST /issues/from-alert/`` records an alert's issue, prefilled, or answers the one it has."""

    token_scope = ("campaign__plan",)  # accounts.api.scope

    serializer_class = IssueSerializer
    permission_classes = [*ReadCreateUpdateViewSet.permission_classes, IssuePermission]
    filterset_class = IssueFilter
    ordering_fields = ["occurred_at", "deadline", "state", "updated_at"]

    def get_queryset(self):
        return selectors.issue_queryset().filter(pk__in=Issue.objects.visible_to(self.request.user).values("pk"))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _answer(self, issue, status=200):
        issue = self.get_queryset().get(pk=issue.pk)
        return Response(IssueSerializer(issue, context=self.get_serializer_context()).data, status=status)

    def perform_create(self, serializer):
        campaign = serializer.validated_data["campaign"]
        user = self.request.user
        department = serializer.validated_data.get("department")
        if not (
            rules.can_manage_issues(user, campaign=campaign)
            or (rules.can_record_issue(user, campaign=campaign) and department and department.lead_id == user.pk)
        ):
            raise PermissionDenied(
                _("Only marketing managers, the campaign's owner and department leads record issues.")
            )
        values = serializer.values_for(*services.ISSUE_FIELDS)
        issue = services.issue_create(
            campaign=campaign,
            affected_tasks=serializer.validated_data.get("affected_tasks", []),
            by=user,
            **values,
        )
        serializer.instance = self.get_queryset().get(pk=issue.pk)

    def perform_update(self, serializer):
        issue = serializer.instance
        sent = set(serializer.validated_data)
        access = rules.issue_access(self.request.user, issue)
        if not rules.can_edit_issue_fields(access, sent):
            raise PermissionDenied(
                _("You may only propose the temporary measure.")
                if access == rules.ISSUE_PROPOSE
                else _("You may not change this issue.")
            )
        changes = {name: serializer.validated_data[name] for name in services.ISSUE_FIELDS if name in sent}
        updated = services.issue_update(
            issue=Issue.objects.select_related("campaign").get(pk=issue.pk),
            by=self.request.user,
            affected_tasks=serializer.validated_data.get("affected_tasks"),
            **changes,
        )
        serializer.instance = self.get_queryset().get(pk=updated.pk)

    @extend_schema(request=IssueStateSerializer, responses=IssueSerializer)
    @action(detail=True, methods=["post"], serializer_class=IssueStateSerializer, filterset_class=None)
    def state(self, request, pk=None):
        """Move an issue to open, mitigated or resolved (a reason is required to reopen)."""
        issue = self.get_object()
        if not rules.can_change_issue_state(rules.issue_access(request.user, issue)):
            raise PermissionDenied(_("You may not change this issue's state."))
        given = IssueStateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.issue_set_state(
            issue=issue, by=request.user, state=given.validated_data["state"], reason=given.validated_data["reason"]
        )
        return self._answer(issue)

    @extend_schema(request=IssueFromAlertSerializer, responses={201: IssueSerializer, 200: IssueSerializer})
    @action(
        detail=False,
        methods=["post"],
        url_path="from-alert",
        serializer_class=IssueFromAlertSerializer,
        filterset_class=None,
    )
    def from_alert(self, request):
        """Record an alert's issue, prefilled from it and linked to it (201), or answer the
        issue it already has (200)."""
        given = IssueFromAlertSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        alert = given.validated_data["alert"]
        if not rules.can_open_issue_from_alert(request.user, alert):
            raise PermissionDenied(_("Only those who answer this alert record its issue."))
        issue, created = services.issue_create_from_alert(alert=alert, by=request.user)
        return self._answer(issue, status=201 if created else 200)
