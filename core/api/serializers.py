from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.ids import MAX_ID, parse_id


class IdField(serializers.IntegerField):
    """The id of a row, read as core.ids reads ids: a JSON number, or a string of the digits
    0–9, that fits the database's key; "²", "١٢" or 10**20 are a 400 naming the field."""

    default_error_messages = {"invalid": _("Give an id: a whole number written with the digits 0–9.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        number = parse_id(data)
        if number is None:
            self.fail("invalid")
        return number


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row by its id, read as core.ids reads ids."""

    def to_internal_value(self, data):
        if self.pk_field is None and parse_id(data) is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class ServiceInputMixin:
    """For model serializers whose writes go through a service.

    ``Meta.create_only_fields`` are given on create and read-only afterwards (a row does not
    move to another plan or campaign). ``values_for(*names)`` is the service's input: the
    validated fields, plus, on an update, the row's current values for the fields not sent.
    Related rows are given by id, read as core.ids reads ids.
    """

    serializer_related_field = IdRelatedField

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            for name in getattr(self.Meta, "create_only_fields", []):
                fields[name].read_only = True
        return fields

    def values_for(self, *names: str) -> dict:
        data = self.validated_data
        if self.instance is None:
            return {name: data[name] for name in names if name in data}
        return {name: data[name] if name in data else getattr(self.instance, name) for name in names}


def code_field(queryset, **kwargs) -> serializers.SlugRelatedField:
    """A related row of reference data (a metric, a channel) referred to by its code."""
    return serializers.SlugRelatedField(slug_field="code", queryset=queryset, **kwargs)
