"""Filters of the tasks API. ``updated_after`` on every list that has a change time serves
incremental BI syncs."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core.api.filters import FilterSet, IdFilter, IsoDateTimeFilter, updated_after
from plans.models import Campaign

from ..models import Assignment, Milestone, Stage, StatusUpdate, Task


class StageFilter(FilterSet):
    updated_after = updated_after()

    class Meta:
        model = Stage
        fields = ["campaign", "updated_after"]


class MilestoneFilter(FilterSet):
    reached = django_filters.BooleanFilter(
        field_name="reached_on",
        lookup_expr="isnull",
        exclude=True,
        label=_("Only reached milestones (true) or only those not reached yet (false)."),
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due on or before this date.")
    )
    due_after = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("Due on or after this date.")
    )
    updated_after = updated_after()

    class Meta:
        model = Milestone
        fields = ["campaign", "stage", "reached", "due_before", "due_after", "updated_after"]


class TaskFilter(FilterSet):
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_(
            "Only overdue tasks (true: the deadline has passed and the task is not done) or only the others (false)."
        ),
    )
    department = IdFilter(
        field_name="departments",
        queryset=Department.objects.all(),
        method="filter_department",
        label=_(
            "Department id: tasks where the department collaborates (is one of the task's collaborating "
            "departments) or whose Responsible or Accountable belongs to it. A department that is only "
            "Consulted or Informed does not count."
        ),
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due on or before this date.")
    )
    due_after = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("Due on or after this date.")
    )
    updated_after = updated_after()

    class Meta:
        model = Task
        fields = [
            "campaign",
            "stage",
            "milestone",
            "status",
            "overdue",
            "responsible",
            "accountable",
            "department",
            "due_before",
            "due_after",
            "updated_after",
        ]

    def filter_overdue(self, queryset, name, value):
        overdue = Task.objects.overdue(today=timezone.localdate())
        if value:
            return queryset.filter(pk__in=overdue.values("pk"))
        return queryset.exclude(pk__in=overdue.values("pk"))

    def filter_department(self, queryset, name, value):
        collaborating = Task.departments.through.objects.filter(department=value).values("task_id")
        return queryset.filter(
            Q(pk__in=collaborating) | Q(responsible__department=value) | Q(accountable__department=value)
        )


class AssignmentFilter(FilterSet):
    campaign = IdFilter(field_name="task__campaign", queryset=Campaign.objects.all(), label=_("Campaign id."))
    updated_after = updated_after()

    class Meta:
        model = Assignment
        fields = ["task", "campaign", "role", "user", "department", "updated_after"]


class StatusUpdateFilter(FilterSet):
    campaign = IdFilter(field_name="task__campaign", queryset=Campaign.objects.all(), label=_("Campaign id."))
    # When the row was written: created_at may be an earlier time the update is about.
    updated_after = updated_after()
    created_before = IsoDateTimeFilter(
        field_name="created_at", lookup_expr="lte", label=_("Recorded at or before this time (ISO 8601).")
    )

    class Meta:
        model = StatusUpdate
        fields = ["task", "campaign", "author", "new_status", "updated_after", "created_before"]
