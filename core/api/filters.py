import django_filters
from django.utils.translation import gettext_lazy as _


def updated_after(field_name: str = "updated_at") -> django_filters.IsoDateTimeFilter:
    """``?updated_after=`` on a list: the rows changed since a time, for incremental BI syncs."""
    return django_filters.IsoDateTimeFilter(
        field_name=field_name, lookup_expr="gt", label=_("Changed after this time (ISO 8601), for incremental syncs.")
    )


class IdOrCodeFilter(django_filters.CharFilter):
    """A row of reference data (a metric, a channel) by its id (digits) or its code."""

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        lookup = f"{self.field_name}_id" if value.isdigit() else f"{self.field_name}__code"
        return qs.filter(**{lookup: value})


def id_or_code(field_name: str) -> IdOrCodeFilter:
    return IdOrCodeFilter(field_name=field_name, label=_("Id or code."))
