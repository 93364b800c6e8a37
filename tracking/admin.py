from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Alert, ChatWebhook, Delivery, DeliveryState, Issue, Notification, Threshold
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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username", "recipient__name"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "alert"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The outbox of e-mails and chat messages: a failed delivery is listed here, with its
    error, until an administrator sends it again."""

    list_display = ["__str__", "channel", "event", "state", "attempts", "next_attempt_at", "sent_at", "short_error"]
    list_filter = ["state", "channel", "event"]
    list_select_related = ["notification__recipient", "webhook"]
    raw_id_fields = ["notification", "webhook", "alert"]
    readonly_fields = ["created_at", "sent_at", "last_error", "attempts"]
    actions = ["send_again"]

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Send again"))
    def send_again(self, request, queryset):
        retried = 0
        for delivery in queryset.exclude(state=DeliveryState.SENT):
            services.delivery_retry(delivery=delivery)
            retried += 1
        self.message_user(
            request,
            ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", retried)
            % {"count": retried},
            messages.SUCCESS,
        )


@admin.register(ChatWebhook)
class ChatWebhookAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "campaign", "department", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    list_select_related = ["campaign", "department"]
    autocomplete_fields = ["campaign"]
    raw_id_fields = ["department"]


@admin.register(Issue)
class IssueAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "campaign", "occurred_on", "department", "owner", "deadline", "state"]
    list_filter = ["state"]
    search_fields = ["description", "root_cause"]
    list_select_related = ["campaign", "department", "owner"]
    raw_id_fields = ["campaign", "department", "owner"]
