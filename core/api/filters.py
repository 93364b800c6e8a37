import django_filters
from django.utils.translation import gettext_lazy as _


def updated_after(field_name: str = "updated_at") -> django_filters.IsoDateTimeFilter:
    """``?updated_after=`` on a list: the rows changed since a time, for incremental BI syncs."""
    return django_filters.IsoDateTimeFilter(
        field_name=field_name, lookup_expr="gt", label=_("Changed after this time (ISO 8601), for incremental syncs.")
    )
