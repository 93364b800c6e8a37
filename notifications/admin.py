from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import kinds, services
from .models import ChatWebhook, Delivery, DeliveryState, Notification


class KindFilter(admin.SimpleListFilter):
    """The kinds registered by the apps that notify."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kinds.choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind_label", "subject_type", "subject_id", "created_at", "read_at"]
    list_filter = [KindFilter]
    search_fields = ["title", "recipient__username", "recipient__name"]
    list_select_related = ["recipient", "subject_type"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["texts"]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return obj.kind_label


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The outbox of e-mails and chat messages: a failed or expired delivery is listed here,
    with its error, until an administrator sends it again."""

    list_display = [
        "__str__",
        "channel",
        "kind_label",
        "state",
        "attempts",
        "next_attempt_at",
        "lease_until",
        "sent_at",
        "short_error",
    ]
    list_filter = ["state", "channel", KindFilter]
    list_select_related = ["notification__recipient", "webhook"]
    raw_id_fields = ["notification", "webhook"]
    readonly_fields = ["key", "created_at", "sent_at", "lease_until", "last_error", "attempts"]
    actions = ["send_again"]

    @admin.display(description=_("event"), ordering="kind")
    def kind_label(self, obj):
        return obj.kind_label

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Send again"))
    def send_again(self, request, queryset):
        retried = 0
        for delivery in queryset.exclude(state__in=[DeliveryState.SENT, DeliveryState.SENDING]):
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
    list_display = ["name", "kind", "scope_type", "scope_id", "department", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    list_select_related = ["scope_type", "department"]
    raw_id_fields = ["department"]
