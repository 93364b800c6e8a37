"""The deletions feed: ``GET /api/v1/deletions/`` lists the rows of synced models that were
deleted, cascades included (core.sync), so that a BI copy can drop them. It walks by cursor
like any synced list (``?sync=1``, then ``?cursor=``), ordered by (deleted_at, id), with
``?model=`` (a model label such as ``plans.metricvalue`` or a list's name such as
``metric-values``) and ``?deleted_after=``."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets

from core import sync
from core.api.filters import FilterSet, IsoDateTimeFilter
from core.models import DeletedObject


class DeletedObjectSerializer(serializers.ModelSerializer):
    resource = serializers.SerializerMethodField(help_text=_("The API list the row belonged to."))

    class Meta:
        model = DeletedObject
        fields = ["id", "model", "resource", "object_id", "deleted_at"]

    def get_resource(self, deleted) -> str:
        entry = sync.find(deleted.model)
        return entry.resource if entry else ""


class SyncedModelField(forms.CharField):
    """A synced model by its label or its list's name; anything else names the filter in a 400."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        entry = sync.find(value)
        if entry is None:
            raise forms.ValidationError(
                _("No synced model or list is called “%(value)s”."), params={"value": value[:50]}
            )
        return entry.label


class SyncedModelFilter(django_filters.CharFilter):
    field_class = SyncedModelField


class DeletedObjectFilter(FilterSet):
    model = SyncedModelFilter(label=_("A model label (plans.metricvalue) or a list's name (metric-values)."))
    deleted_after = IsoDateTimeFilter(
        field_name="deleted_at", lookup_expr="gt", label=_("Deleted after this time (ISO 8601).")
    )

    class Meta:
        model = DeletedObject
        fields = ["model", "deleted_after"]


class DeletedObjectViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Rows of synced lists that were deleted, oldest first; walk it by cursor (?sync=1)."""

    serializer_class = DeletedObjectSerializer
    filterset_class = DeletedObjectFilter
    ordering_fields = ["deleted_at"]
    queryset = DeletedObject.objects.all()
    sync_field = "deleted_at"
    sync_start_param = "deleted_after"
