from datetime import UTC

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField


class UTCIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time with any UTC offset ISO allows (up to ±23:59), read as UTC: PostgreSQL
    refuses offsets beyond ±15:59 ("time zone displacement out of range"), which a client may
    send, so the database only ever sees UTC. A time that is not one in UTC (before year 1 or
    after 9999 once converted) is bad input."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """django-filter's ISO 8601 time filter, read as UTC (see UTCIsoDateTimeField)."""

    field_class = UTCIsoDateTimeField


def updated_after(field_name: str = "updated_at") -> IsoDateTimeFilter:
    """``?updated_after=`` on a list: the rows changed since a time, for incremental BI syncs."""
    return IsoDateTimeFilter(
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
