"""Viewsets of the tasks API. Thin: a selector for reads, a permission predicate and a
service for writes, so the API and the pages follow the same rules.

Who sees what: tasks are those ``Task.objects.visible_to`` the person; their C/I
assignments and status updates follow the task. Stages and milestones describe a campaign,
which everyone signed in reads (as in the plans API and the campaign pages), so every
campaign's are listed.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.views import ReadCreateUpdateViewSet
from plans.api.views import CampaignViewSet as PlansCampaignViewSet

from .. import selectors, services
from .filters import AssignmentFilter, MilestoneFilter, StageFilter, StatusUpdateFilter, TaskFilter
from .permissions import ManageTasksPermission, StatusUpdatePermission
from .serializers import (
    AssignmentSerializer,
    MilestoneSerializer,
    StageDefaultsSerializer,
    StageSerializer,
    StatusUpdateInputSerializer,
    StatusUpdateSerializer,
    TaskSerializer,
)

DEFAULT_PERMISSIONS = viewsets.GenericViewSet.permission_classes


class TasksViewSet(ReadCreateUpdateViewSet):
    """The tasks API's writable viewsets: who may manage tasks, and one "today" a response.
    Milestones and tasks (whose deletion would take their status history with them) are not
    deleted through the API; stages and assignments add delete."""

    permission_classes = [*DEFAULT_PERMISSIONS, ManageTasksPermission]

    def get_serializer_context(self):
        # One "today" for every row of a response (overdue tasks, missed milestones).
        return {**super().get_serializer_context(), "today": timezone.localdate()}


# Campaigns --------------------------------------------------------------------------------


class CampaignViewSet(PlansCampaignViewSet):
    """Campaigns of plans. Managers create them, each with the template's four stages
    (产品筹备, 预热宣传, 正式推广, 售后复盘); managers and the owner change them and move them
    forward (planning → executing → reviewing → archived) with ``POST …/status/``."""

    # plans cannot import tasks: the project's API router serves this viewset at plans'
    # campaigns route (same prefix and basename), so that a new campaign gets its stages.
    create_service = staticmethod(services.campaign_create)


# Stages and milestones --------------------------------------------------------------------


class StageViewSet(mixins.DestroyModelMixin, TasksViewSet):
    """The ordered stages of campaigns (产品筹备, 预热宣传, 正式推广, 售后复盘 by default). The
    campaign's owner and marketing managers add, rename, reorder and delete them (a stage
    with tasks or milestones is not deleted); ``POST …/defaults/`` gives a campaign without
    stages the template's four."""

    token_scope = ("campaign__plan",)  # accounts.api.scope

    serializer_class = StageSerializer
    filterset_class = StageFilter
    ordering_fields = ["position", "updated_at"]

    def get_queryset(self):
        return selectors.all_stages()

    def perform_create(self, serializer):
        campaign = serializer.validated_data["campaign"]
        self.check_object_permissions(self.request, campaign)
        values = serializer.values_for("name_zh", "name_en", "position")
        values.setdefault("name_zh", "")
        values.setdefault("name_en", "")
        serializer.instance = services.stage_save(campaign=campaign, by=self.request.user, **values)

    def perform_update(self, serializer):
        stage = serializer.instance
        serializer.instance = services.stage_save(
            campaign=stage.campaign,
            stage=stage,
            by=self.request.user,
            **serializer.values_for("name_zh", "name_en", "position"),
        )

    def perform_destroy(self, instance):
        services.stage_delete(stage=instance)

    @extend_schema(request=StageDefaultsSerializer, responses=StageSerializer(many=True))
    # The answer is the campaign's stages as a plain list (no pages), as the schema says.
    @action(
        detail=False,
        methods=["post"],
        serializer_class=StageDefaultsSerializer,
        filterset_class=None,
        pagination_class=None,
    )
    def defaults(self, request):
        """Give a campaign the template's four stages if it has none yet; answer its stages."""
        given = StageDefaultsSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        campaign = given.validated_data["campaign"]
        self.check_object_permissions(request, campaign)
        stages = services.stages_ensure_defaults(campaign=campaign, by=request.user)
        return Response(StageSerializer(stages, many=True, context=self.get_serializer_context()).data)


class MilestoneViewSet(TasksViewSet):
    """Milestones of campaigns, each in a stage, with whether it is missed. The campaign's
    owner and marketing managers add and change them; a milestone is reached when its last
    task is done, or by setting ``reached_on``."""

    token_scope = ("campaign__plan",)  # accounts.api.scope

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    ordering_fields = ["due_date", "reached_on", "updated_at"]

    def get_queryset(self):
        return selectors.milestone_list()

    def perform_create(self, serializer):
        campaign = serializer.validated_data["stage"].campaign
        self.check_object_permissions(self.request, campaign)
        milestone = services.milestone_save(
            campaign=campaign, by=self.request.user, **serializer.values_for("stage", "name", "due_date", "reached_on")
        )
        serializer.instance = self.get_queryset().get(pk=milestone.pk)

    def perform_update(self, serializer):
        milestone = serializer.instance
        milestone = services.milestone_save(
            campaign=milestone.campaign,
            milestone=milestone,
            by=self.request.user,
            **serializer.values_for("stage", "name", "due_date", "reached_on"),
        )
        serializer.instance = self.get_queryset().get(pk=milestone.pk)


# Tasks ------------------------------------------------------------------------------------


class TaskViewSet(TasksViewSet):
    """The RACI task matrix (form 1): tasks with their one Responsible and one Accountable,
    collaborating departments, Consulted and Informed, and whether they are overdue. Each
    person sees the tasks they may see. The campaign's owner and marketing managers create
    and change tasks; the status changes only through ``/status-updates/``."""

    token_scope = ("campaign__plan",)  # accounts.api.scope

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    ordering_fields = ["due_date", "start_date", "name", "status", "progress", "created_at", "updated_at"]

    def get_queryset(self):
        return selectors.with_last_note(selectors.task_list().visible_to(self.request.user))

    def perform_create(self, serializer):
        data = serializer.task_input()
        campaign = data.stage.campaign
        self.check_object_permissions(self.request, campaign)
        task = services.task_create(campaign=campaign, data=data, by=self.request.user)
        serializer.instance = self.get_queryset().get(pk=task.pk)

    def perform_update(self, serializer):
        task = services.task_update(task=serializer.instance, data=serializer.task_input(), by=self.request.user)
        serializer.instance = self.get_queryset().get(pk=task.pk)


# RACI -------------------------------------------------------------------------------------


class AssignmentViewSet(mixins.DestroyModelMixin, TasksViewSet):
    """Consulted (C) and Informed (I) people and departments of the tasks a person sees (the
    Responsible and the Accountable are on the task). The campaign's owner and marketing
    managers set and remove them; setting a role for someone who already has one on the task
    changes it."""

    token_scope = ("task__campaign__plan",)  # accounts.api.scope

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["role"]

    def get_queryset(self):
        return selectors.assignment_list(user=self.request.user)

    def perform_create(self, serializer):
        task = serializer.validated_data["task"]
        self.check_object_permissions(self.request, task.campaign)
        assignment = services.assignment_set(
            task=task, by=self.request.user, **serializer.values_for("role", "user", "department")
        )
        serializer.instance = self.get_queryset().get(pk=assignment.pk)

    def perform_update(self, serializer):
        assignment = serializer.instance
        assignment = services.assignment_set(
            task=assignment.task,
            user=assignment.user,
            department=assignment.department,
            by=self.request.user,
            **serializer.values_for("role"),
        )
        serializer.instance = self.get_queryset().get(pk=assignment.pk)

    def perform_destroy(self, instance):
        services.assignment_remove(assignment=instance)


# Status updates ---------------------------------------------------------------------------


class StatusUpdateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The history of the tasks a person sees: every status change and daily note, never
    changed. Other systems and scripts report progress with ``POST``: the task's status and
    progress follow. Only the task's Responsible and Accountable may; a blocked task needs a
    reason and a done task a note."""

    token_scope = ("task__campaign__plan",)  # accounts.api.scope

    serializer_class = StatusUpdateSerializer
    permission_classes = [*DEFAULT_PERMISSIONS, StatusUpdatePermission]
    filterset_class = StatusUpdateFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.status_update_list(user=self.request.user)

    @extend_schema(
        request=StatusUpdateInputSerializer,
        responses={201: OpenApiResponse(StatusUpdateSerializer, description=_("The update was recorded."))},
    )
    def create(self, request, *args, **kwargs):
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        self.check_object_permissions(request, data["task"])
        update = services.task_set_status(
            task=data["task"], status=data["status"], note=data["note"], progress=data.get("progress"), by=request.user
        )
        update = self.get_queryset().get(pk=update.pk)
        return Response(
            StatusUpdateSerializer(update, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    def get_serializer_class(self):
        # The browsable API's form, too, asks for what a status update needs.
        return StatusUpdateInputSerializer if self.action == "create" else StatusUpdateSerializer
