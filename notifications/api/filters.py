import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import FilterSet, IsoDateTimeFilter

from ..models import ChatWebhook, Notification


class NotificationFilter(FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=_("Only unread (true) or only read (false) notifications.")
    )
    created_after = IsoDateTimeFilter(
        field_name="created_at", lookup_expr="gt", label=_("Created after this time (ISO 8601).")
    )
    kind = django_filters.CharFilter(label=_("What happened, e.g. alert_opened or digest."))

    class Meta:
        model = Notification
        fields = ["kind", "subject_id", "unread", "created_after"]


class ChatWebhookFilter(FilterSet):
    class Meta:
        model = ChatWebhook
        fields = ["kind", "scope_id", "department", "is_active"]
