"""Filters of the reviews API, with ``updated_after`` for incremental BI syncs."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import FilterSet, IdOrCodeFilter, id_or_code, updated_after

from ..models import FollowUpAction, Lesson, Review, ReviewLine


class ReviewFilter(FilterSet):
    updated_after = updated_after()

    class Meta:
        model = Review
        fields = ["campaign", "state", "updated_after"]


class ReviewLineFilter(FilterSet):
    metric = id_or_code("metric")
    updated_after = updated_after()

    class Meta:
        model = ReviewLine
        fields = ["review", "dimension", "metric", "updated_after"]


class ManyIdOrCodeFilter(IdOrCodeFilter):
    """One of a many-to-many's rows (a lesson's channels) by its id or its code."""

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        lookup = self.field_name if isinstance(value, int) else f"{self.field_name}__code"
        return qs.filter(**{lookup: value}).distinct()


class LessonFilter(FilterSet):
    channel = ManyIdOrCodeFilter(field_name="channels", label=_("Id or code."))
    metric = ManyIdOrCodeFilter(field_name="metrics", label=_("Id or code."))
    tag = django_filters.CharFilter(field_name="tags", lookup_expr="icontains")
    updated_after = updated_after()

    class Meta:
        model = Lesson
        fields = ["review", "kind", "campaign_type", "channel", "metric", "tag", "updated_after"]


class FollowUpActionFilter(FilterSet):
    updated_after = updated_after()

    class Meta:
        model = FollowUpAction
        fields = ["review", "owner", "state", "updated_after"]
