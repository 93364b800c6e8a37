from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment, DailyCheckIn, Milestone, Stage, StatusUpdate, Task


@admin.register(Stage)
class StageAdmin(SimpleHistoryAdmin):
    list_display = ["name_zh", "name_en", "campaign", "position"]
    list_filter = ["campaign"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["name", "campaign", "stage", "due_date", "reached_on"]
    list_filter = ["campaign"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["user", "department"]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["name", "campaign", "stage", "responsible", "accountable", "due_date", "status", "progress"]
    list_filter = ["status", "campaign", "stage"]
    search_fields = ["name", "description"]
    list_select_related = ["campaign", "stage", "responsible", "accountable"]
    autocomplete_fields = ["responsible", "accountable", "departments"]
    inlines = [AssignmentInline]
    # Status changes go through the status history, never by editing the field here.
    readonly_fields = ["status", "progress"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    """Read-only: the status history is never edited or deleted."""

    list_display = ["task", "author", "created_at", "old_status", "new_status", "progress"]
    list_filter = ["new_status"]
    list_select_related = ["task", "author"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DailyCheckIn)
class DailyCheckInAdmin(admin.ModelAdmin):
    list_display = ["user", "date", "created_at"]
    list_filter = ["date"]
