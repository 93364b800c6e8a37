from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Alert, Issue, Threshold
from .rules import describe


@admin.register(Threshold)
class ThresholdAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "rule", "campaign", "plan", "target", "severity", "is_active", "updated_at"]
    list_filter = ["kind", "severity", "is_active"]
    list_select_related = [
        "metric",
        "channel",
        "budget_line",
        "target__metric",
        "target__channel",
        "target__campaign",
        "target__plan",
        "campaign",
        "plan",
    ]
    raw_id_fields = ["target", "campaign", "plan", "budget_line", "created_by"]
    autocomplete_fields = ["metric", "channel", "recipients"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    @admin.display(description=_("rule"))
    def rule(self, obj):
        return describe(obj)


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """For repairs: alerts are opened by the checks and answered on the alert pages."""

    list_display = ["summary", "campaign", "severity", "state", "opened_at", "acknowledged_by", "escalated_at"]
    list_filter = ["state", "severity"]
    search_fields = ["summary", "analysis_note"]
    date_hierarchy = "opened_at"
    list_select_related = ["campaign", "acknowledged_by"]
    raw_id_fields = ["threshold", "campaign", "target", "acknowledged_by", "resolved_by", "issue"]
    readonly_fields = ["scope_key", "opened_at", "last_checked_at", "updated_at"]


@admin.register(Issue)
class IssueAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "campaign", "occurred_at", "department", "owner", "deadline", "state"]
    list_filter = ["state"]
    search_fields = ["description", "root_cause"]
    list_select_related = ["campaign", "department", "owner"]
    raw_id_fields = ["campaign", "department", "owner"]
