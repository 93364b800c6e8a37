import re
from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from core.ids import parse_id

# The codes of reference data are slugs (Metric.code, Channel.code).
CODE_PATTERN = re.compile(r"[-a-zA-Z0-9_]{1,50}")


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


class IdOrCodeField(forms.CharField):
    """An id (ASCII digits, see core.ids) as an int, or a code as a string; anything else is
    a validation error, which the API answers as a 400 naming the filter."""

    default_error_messages = {
        "invalid": _("“%(value)s” is neither an id (digits 0–9) nor a code (letters, digits, - and _)."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        number = parse_id(value)
        if number is not None:
            return number
        # Digits alone are an id (one too large for any row included), never a code.
        if (value.isascii() and value.isdigit()) or not CODE_PATTERN.fullmatch(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value[:50]})
        return value


class IdOrCodeFilter(django_filters.CharFilter):
    """A row of reference data (a metric, a channel) by its id (digits) or its code."""

    field_class = IdOrCodeField

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        lookup = f"{self.field_name}_id" if isinstance(value, int) else f"{self.field_name}__code"
        return qs.filter(**{lookup: value})


def id_or_code(field_name: str) -> IdOrCodeFilter:
    return IdOrCodeFilter(field_name=field_name, label=_("Id or code."))


def _reads_ids(field) -> bool:
    """Whether a choice field looks its rows up by their id (not by a code)."""
    return field.to_field_name in (None, field.queryset.model._meta.pk.name)


class IdChoiceField(django_filters.fields.ModelChoiceField):
    """A row by its id, read as core.ids reads ids: "²" or "١٢" is not the row 12."""

    def to_python(self, value):
        is_null = self.null_label is not None and value == self.null_value
        if value not in self.empty_values and not is_null and _reads_ids(self) and parse_id(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return super().to_python(value)


class IdMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    def _check_values(self, value):
        if _reads_ids(self):
            for pk in value:
                if pk != self.null_value and parse_id(pk) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


class IdFilter(django_filters.ModelChoiceFilter):
    field_class = IdChoiceField


class IdMultipleFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = IdMultipleChoiceField


_DEFAULTS = django_filters.FilterSet.FILTER_DEFAULTS


class FilterSet(django_filters.FilterSet):
    """The base of every API filter set: a related row given by id is read as core.ids
    reads ids, so a malformed one is a 400 naming the filter, never a database error."""

    FILTER_DEFAULTS = {
        **_DEFAULTS,
        **{
            relation: {**_DEFAULTS[relation], "filter_class": IdFilter}
            for relation in (models.ForeignKey, models.OneToOneField, models.OneToOneRel)
        },
        **{
            relation: {**_DEFAULTS[relation], "filter_class": IdMultipleFilter}
            for relation in (models.ManyToManyField, models.ManyToOneRel, models.ManyToManyRel)
        },
    }
