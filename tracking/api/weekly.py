"""Weekly progress logs (form 2) in the API, with their rows: read, draft (create), edit a
draft, publish, correct. The same services and permission predicates as the pages."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.filters import FilterSet, updated_after
from core.api.serializers import IdField, IdRelatedField
from core.api.views import ReadCreateUpdateViewSet
from plans.models import Campaign
from plans.weeks import parse_week

from .. import weekly
from ..models import WeeklyLog, WeeklyLogRow, WeeklyLogState
from ..permissions import can_edit_weekly_log, can_view_weekly_logs
from ..services import weekly_logs
from ..weekly_forms import WeekField as WeekFormField

WEEK_HELP = _("An ISO week (2026-W24) or one of its days (2026-06-10).")


@extend_schema_field({"type": "string", "enum": WeeklyLogState.values}, component_name="WeeklyLogStateEnum")
class WeeklyLogStateField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=WeeklyLogState.choices, **kwargs)


class WeekField(serializers.CharField):
    """A week as its Monday."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", WEEK_HELP)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        monday = parse_week(super().to_internal_value(data)[:20])
        if monday is None:
            raise serializers.ValidationError(_("Give a week as 2026-W24, or one of its days as 2026-06-10."))
        return monday


class WeeklyLogRowSerializer(serializers.ModelSerializer):
    id = IdField(help_text=_("The row to change (rows are made by the draft, one per stage)."))

    class Meta:
        model = WeeklyLogRow
        fields = [
            "id",
            "stage",
            "stage_name",
            "position",
            "planned_tasks",
            "completion",
            "key_figures",
            "problems",
            "measures",
            "next_focus",
        ]
        read_only_fields = ["stage", "stage_name", "position"]


class WeeklyLogSerializer(serializers.ModelSerializer):
    campaign = IdRelatedField(queryset=Campaign.objects.all())
    week = WeekField()
    week_label = serializers.CharField(read_only=True, help_text=_("The ISO week, 2026-W24."))
    state = WeeklyLogStateField(read_only=True)
    rows = WeeklyLogRowSerializer(many=True, required=False, help_text=_("On a change: the rows to change, by id."))
    url = serializers.SerializerMethodField(help_text=_("The log's page."))

    class Meta:
        model = WeeklyLog
        fields = [
            "id",
            "campaign",
            "week",
            "week_label",
            "revision",
            "corrects",
            "state",
            "meeting_date",
            "participants",
            "summary",
            "rows",
            "drafted_at",
            "created_by",
            "published_at",
            "published_by",
            "url",
            "updated_at",
        ]
        read_only_fields = [
            "revision",
            "corrects",
            "drafted_at",
            "created_by",
            "published_at",
            "published_by",
            "updated_at",
        ]
        # The service decides: a second draft of a week returns the week's log.
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["campaign"].read_only = fields["week"].read_only = True
        return fields

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["week"] = instance.week.isoformat()
        return data


class WeekFilter(django_filters.Filter):
    field_class = WeekFormField


class WeeklyLogFilter(FilterSet):
    week = WeekFilter(field_name="week", label=WEEK_HELP)
    state = django_filters.ChoiceFilter(choices=WeeklyLogState.choices)
    updated_after = updated_after()

    class Meta:
        model = WeeklyLog
        fields = ["campaign", "week", "state", "updated_after"]


class WeeklyLogPermission(permissions.BasePermission):
    """Everyone signed in reads; marketing managers and the campaign's owner draft, edit,
    publish and correct (the object is the log, or on create its campaign)."""

    message = _("Only marketing managers and the campaign's owner write its weekly logs.")

    def has_permission(self, request, view):
        return can_view_weekly_logs(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        campaign = obj if isinstance(obj, Campaign) else obj.campaign
        return can_edit_weekly_log(request.user, campaign)


class WeeklyLogViewSet(ReadCreateUpdateViewSet):
    """Weekly progress logs (form 2, 营销执行进度跟踪表(周度)), one per campaign and ISO week,
    with their rows (one per stage). ``POST`` drafts the week's log from the week's data (or
    returns the one there is: 200 instead of 201); ``PATCH`` changes a draft (its meeting
    date, participants, summary and rows by id); ``POST …/publish/`` publishes it (read-only
    from then on) and ``POST …/correct/`` starts a new revision of a published log."""

    token_scope = ("campaign__plan",)  # accounts.api.scope

    serializer_class = WeeklyLogSerializer
    permission_classes = [*ReadCreateUpdateViewSet.permission_classes, WeeklyLogPermission]
    filterset_class = WeeklyLogFilter
    ordering_fields = ["week", "revision", "updated_at"]

    def get_queryset(self):
        return weekly.log_queryset().order_by("-week", "-revision", "pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = Campaign.objects.select_related("plan", "owner").get(pk=serializer.validated_data["campaign"].pk)
        self.check_object_permissions(request, campaign)
        log, created = weekly_logs.weekly_log_draft(
            campaign=campaign, monday=serializer.validated_data["week"], by=request.user
        )
        return Response(self._read(log), status=201 if created else 200)

    def perform_update(self, serializer):
        log = serializer.instance
        data = serializer.validated_data
        rows = {row["id"]: {k: v for k, v in row.items() if k != "id"} for row in data.get("rows", [])}
        weekly_logs.weekly_log_update(
            log=log,
            by=self.request.user,
            meeting_date=data.get("meeting_date", log.meeting_date),
            participants=data.get("participants", log.participants),
            summary=data.get("summary", log.summary),
            rows=rows,
        )
        serializer.instance = self.get_queryset().get(pk=log.pk)

    def _read(self, log):
        return WeeklyLogSerializer(self.get_queryset().get(pk=log.pk), context=self.get_serializer_context()).data

    @extend_schema(request=None, responses=WeeklyLogSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def publish(self, request, pk=None):
        """Publish a draft: read-only from then on; the campaign's R, A and Informed are told."""
        log, _notified = weekly_logs.weekly_log_publish(log=self.get_object(), by=request.user)
        return Response(self._read(log))

    @extend_schema(request=None, responses=WeeklyLogSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def correct(self, request, pk=None):
        """Start a correction of a published log: a new draft revision (the published one stays)."""
        return Response(self._read(weekly_logs.weekly_log_correct(log=self.get_object(), by=request.user)))
