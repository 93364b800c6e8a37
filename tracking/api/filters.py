"""Filters of the tracking API. ``updated_after`` on thresholds and alerts serves
incremental BI syncs; metrics and channels may be given by id or by code."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import FilterSet, IsoDateTimeFilter, id_or_code, updated_after

from ..models import Alert, AlertState, Threshold

UNRESOLVED = "unresolved"


class ThresholdFilter(FilterSet):
    metric = id_or_code("metric")
    channel = id_or_code("channel")
    updated_after = updated_after()

    class Meta:
        model = Threshold
        fields = ["kind", "severity", "campaign", "plan", "target", "metric", "channel", "is_active", "updated_after"]


class AlertFilter(FilterSet):
    state = django_filters.ChoiceFilter(
        choices=[(UNRESOLVED, _("unresolved (open or acknowledged)")), *AlertState.choices],
        method="filter_state",
        label=_("State; “unresolved” is open or acknowledged."),
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_(
            "Only alerts overdue for acknowledgement (true: open beyond the response time, 24 hours by default) "
            "or only the others (false)."
        ),
    )
    opened_after = IsoDateTimeFilter(
        field_name="opened_at", lookup_expr="gte", label=_("Opened at or after this time (ISO 8601).")
    )
    opened_before = IsoDateTimeFilter(
        field_name="opened_at", lookup_expr="lte", label=_("Opened at or before this time (ISO 8601).")
    )
    updated_after = updated_after()

    class Meta:
        model = Alert
        fields = [
            "state",
            "severity",
            "campaign",
            "threshold",
            "target",
            "overdue",
            "opened_after",
            "opened_before",
            "updated_after",
        ]

    def filter_state(self, queryset, name, value):
        if value == UNRESOLVED:
            return queryset.unresolved()
        return queryset.filter(state=value)

    def filter_overdue(self, queryset, name, value):
        overdue = Alert.objects.overdue_for_acknowledgement()
        if value:
            return queryset.filter(pk__in=overdue.values("pk"))
        return queryset.exclude(pk__in=overdue.values("pk"))
