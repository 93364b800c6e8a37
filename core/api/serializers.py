from rest_framework import serializers

# The largest id a row can have (a BigAutoField): a larger number in a request is refused as
# bad input, before a database driver fails on it (SQLite: "Python int too large").
MAX_ID = 2**63 - 1


class ServiceInputMixin:
    """For model serializers whose writes go through a service.

    ``Meta.create_only_fields`` are given on create and read-only afterwards (a row does not
    move to another plan or campaign). ``values_for(*names)`` is the service's input: the
    validated fields, plus, on an update, the row's current values for the fields not sent.
    """

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
