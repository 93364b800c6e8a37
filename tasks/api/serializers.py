"""Serializers of the tasks API. They validate input and shape output; every write goes
through tasks.services, called by the viewsets.

A task's and a milestone's campaign is their stage's; a task's status and progress change
only through status updates.
"""

from dataclasses import fields as dataclass_fields

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Department, User
from core.api.serializers import ServiceInputMixin
from plans.models import Campaign

from ..models import Assignment, AssignmentRole, Milestone, Stage, StatusUpdate, Task, TaskStatus
from ..services import TaskInput


# The task status is one named enum in the schema. Left to drf-spectacular, the same choices
# under several field names (status, new_status, old_status) beside the plans' other
# "status" enums give naming-collision warnings.
@extend_schema_field({"type": "string", "enum": TaskStatus.values}, component_name="TaskStatusEnum")
class TaskStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=TaskStatus.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": ["", *TaskStatus.values]}, component_name="PreviousTaskStatusEnum")
class PreviousTaskStatusField(serializers.ChoiceField):
    """Blank on the update that records a task's creation."""

    def __init__(self, **kwargs):
        super().__init__(choices=TaskStatus.choices, allow_blank=True, **kwargs)


class VisibleTaskField(serializers.PrimaryKeyRelatedField):
    """A task id, among the tasks the person making the request may see."""

    def get_queryset(self):
        request = self.context.get("request")
        return Task.objects.select_related("campaign").visible_to(getattr(request, "user", None))


# Stages and milestones --------------------------------------------------------------------


class StageSerializer(ServiceInputMixin, serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("The name in the language of the request."))

    class Meta:
        model = Stage
        fields = ["id", "campaign", "name", "name_zh", "name_en", "position", "updated_at"]
        read_only_fields = ["updated_at"]
        create_only_fields = ["campaign"]
        extra_kwargs = {
            "name_zh": {
                "required": False,
                "allow_blank": True,
                "help_text": _("Give a name in at least one language."),
            },
            "name_en": {
                "required": False,
                "allow_blank": True,
                "help_text": _("Give a name in at least one language."),
            },
            "position": {"required": False, "help_text": _("Order in the campaign; defaults to after the last stage.")},
        }


class StageDefaultsSerializer(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(),
        help_text=_("The campaign that gets the template's four stages if it has none yet."),
    )


class MilestoneSerializer(ServiceInputMixin, serializers.ModelSerializer):
    stage_name = serializers.CharField(source="stage.name", read_only=True)
    is_missed = serializers.SerializerMethodField(help_text=_("Due date passed and not reached."))

    class Meta:
        model = Milestone
        fields = ["id", "campaign", "stage", "stage_name", "name", "due_date", "reached_on", "is_missed", "updated_at"]
        read_only_fields = ["campaign", "updated_at"]
        extra_kwargs = {"stage": {"help_text": _("The milestone belongs to the stage's campaign.")}}

    def get_is_missed(self, milestone) -> bool:
        return milestone.is_missed(self.context["today"])


# Tasks ------------------------------------------------------------------------------------


class AssignmentSummarySerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.display_name", read_only=True, allow_null=True)
    department_name = serializers.CharField(source="department.name", read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = ["id", "role", "user", "user_name", "department", "department_name"]
        read_only_fields = fields


def _names(task: Task, role: str) -> list[str]:
    # From the prefetched assignments (selectors.task_list), not a query per task.
    return [
        assignment.user.display_name if assignment.user_id else assignment.department.name
        for assignment in task.assignments.all()
        if assignment.role == role
    ]


class TaskSerializer(ServiceInputMixin, serializers.ModelSerializer):
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    stage_name = serializers.CharField(source="stage.name", read_only=True)
    milestone_name = serializers.CharField(source="milestone.name", read_only=True, allow_null=True)
    status = TaskStatusField(
        read_only=True, help_text=_("Changed by recording a status update (POST /api/v1/status-updates/).")
    )
    is_overdue = serializers.SerializerMethodField(help_text=_("The deadline has passed and the task is not done."))
    responsible = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text=_("The one owner (R) who does the work and updates its status.")
    )
    responsible_name = serializers.CharField(source="responsible.display_name", read_only=True)
    accountable = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text=_("Who approves the result (A).")
    )
    accountable_name = serializers.CharField(source="accountable.display_name", read_only=True)
    departments = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, required=False, help_text=_("Collaborating departments.")
    )
    department_names = serializers.SlugRelatedField(source="departments", slug_field="name", many=True, read_only=True)
    assignments = AssignmentSummarySerializer(
        many=True, read_only=True, help_text=_("Consulted (C) and Informed (I) people and departments.")
    )
    consulted = serializers.SerializerMethodField(help_text=_("Names of the Consulted people and departments."))
    informed = serializers.SerializerMethodField(help_text=_("Names of the Informed people and departments."))
    last_note = serializers.CharField(read_only=True, allow_null=True, help_text=_("The latest status update's note."))
    last_update_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("The latest status update's time.")
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "campaign",
            "campaign_name",
            "stage",
            "stage_name",
            "milestone",
            "milestone_name",
            "name",
            "description",
            "deliverable",
            "start_date",
            "due_date",
            "status",
            "progress",
            "is_overdue",
            "responsible",
            "responsible_name",
            "accountable",
            "accountable_name",
            "departments",
            "department_names",
            "assignments",
            "consulted",
            "informed",
            "budget_amount",
            "people_needed",
            "materials",
            "last_note",
            "last_update_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["campaign", "status", "progress", "created_at", "updated_at"]
        extra_kwargs = {
            "stage": {"help_text": _("The task belongs to the stage's campaign.")},
            "progress": {"help_text": _("Changed by recording a status update (POST /api/v1/status-updates/).")},
        }

    def get_is_overdue(self, task) -> bool:
        return task.is_overdue(self.context["today"])

    def get_consulted(self, task) -> list[str]:
        return _names(task, AssignmentRole.CONSULTED)

    def get_informed(self, task) -> list[str]:
        return _names(task, AssignmentRole.INFORMED)

    def validate(self, attrs):
        sent = set(getattr(self, "initial_data", None) or {})
        if sent & {"status", "progress"}:
            message = _("Change the status and progress by recording a status update (POST /api/v1/status-updates/).")
            raise serializers.ValidationError({name: [message] for name in sorted(sent & {"status", "progress"})})
        return attrs

    def task_input(self) -> TaskInput:
        names = [field.name for field in dataclass_fields(TaskInput) if field.name != "departments"]
        values = self.values_for(*names)
        if "departments" in self.validated_data:
            values["departments"] = list(self.validated_data["departments"])
        elif self.instance is not None:
            values["departments"] = list(self.instance.departments.all())
        return TaskInput(**values)


# RACI -------------------------------------------------------------------------------------


class AssignmentSerializer(ServiceInputMixin, serializers.ModelSerializer):
    task = VisibleTaskField(queryset=Task.objects.all())
    campaign = serializers.IntegerField(source="task.campaign_id", read_only=True)
    task_name = serializers.CharField(source="task.name", read_only=True)
    user_name = serializers.CharField(source="user.display_name", read_only=True, allow_null=True)
    department_name = serializers.CharField(source="department.name", read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "task",
            "task_name",
            "campaign",
            "role",
            "user",
            "user_name",
            "department",
            "department_name",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        create_only_fields = ["task", "user", "department"]
        extra_kwargs = {
            "user": {"help_text": _("A person, or give a department instead.")},
            "department": {"help_text": _("A department, or give a person instead.")},
        }
        # The service decides: giving someone who already has a role on the task changes it.
        validators = []


# Status updates ---------------------------------------------------------------------------


class StatusUpdateSerializer(serializers.ModelSerializer):
    task_name = serializers.CharField(source="task.name", read_only=True)
    campaign = serializers.IntegerField(source="task.campaign_id", read_only=True)
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    old_status = PreviousTaskStatusField(read_only=True, help_text=_("Blank on the update that records the creation."))
    new_status = TaskStatusField(read_only=True)

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "task",
            "task_name",
            "campaign",
            "author",
            "author_name",
            "created_at",
            "old_status",
            "new_status",
            "progress",
            "note",
            "updated_at",
        ]
        read_only_fields = fields


class StatusUpdateInputSerializer(serializers.Serializer):
    """A status change or a daily note, as the task's Responsible or Accountable reports it."""

    task = VisibleTaskField(queryset=Task.objects.all(), help_text=_("Task id."))
    status = TaskStatusField(help_text=_("The task's status now (the same one for a daily note)."))
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=_(
            "What happened. Required when the task becomes blocked (the reason) "
            "or done (how the deliverable meets its standard); a task that stays blocked keeps its reason."
        ),
    )
    progress = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=100,
        help_text=_("Progress in percent; defaults to the task's current progress, and done sets 100."),
    )
