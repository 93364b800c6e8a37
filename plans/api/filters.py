"""Filters of the plans API. ``updated_after`` on every list serves incremental BI syncs;
metrics and channels may be given by id or by code."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import FilterSet, id_or_code, updated_after

from ..models import AnnualPlan, BudgetLine, Campaign, Channel, Metric, MetricValue, PlanItem, QuarterFocus, Target


class ChannelFilter(FilterSet):
    parent = id_or_code("parent")
    updated_after = updated_after()

    class Meta:
        model = Channel
        fields = ["kind", "parent", "updated_after"]


class MetricFilter(FilterSet):
    updated_after = updated_after()

    class Meta:
        model = Metric
        fields = ["unit", "aggregation", "direction", "is_cost", "is_active", "updated_after"]


class PlanFilter(FilterSet):
    updated_after = updated_after()

    class Meta:
        model = AnnualPlan
        fields = ["year", "status", "owner", "updated_after"]


class PlanItemFilter(FilterSet):
    updated_after = updated_after()

    class Meta:
        model = PlanItem
        fields = ["plan", "section", "category", "updated_after"]


class QuarterFocusFilter(FilterSet):
    updated_after = updated_after()

    class Meta:
        model = QuarterFocus
        fields = ["plan", "quarter", "updated_after"]


class TargetFilter(FilterSet):
    metric = id_or_code("metric")
    channel = id_or_code("channel")
    top_level = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label=_("Only goals (true) or only sub-goals (false).")
    )
    updated_after = updated_after()

    class Meta:
        model = Target
        fields = ["plan", "campaign", "metric", "channel", "category", "parent", "top_level", "updated_after"]


class BudgetLineFilter(FilterSet):
    channel = id_or_code("channel")
    updated_after = updated_after()

    class Meta:
        model = BudgetLine
        fields = ["plan", "category", "channel", "updated_after"]


class CampaignFilter(FilterSet):
    # start_date_after / start_date_before and end_date_after / end_date_before, both ends included.
    start_date = django_filters.DateFromToRangeFilter(label=_("Starts between (inclusive)."))
    end_date = django_filters.DateFromToRangeFilter(label=_("Ends between (inclusive)."))
    updated_after = updated_after()

    class Meta:
        model = Campaign
        fields = ["plan", "status", "type", "owner", "start_date", "end_date", "updated_after"]


class MetricValueFilter(FilterSet):
    metric = id_or_code("metric")
    channel = id_or_code("channel")
    # date_after / date_before, both ends included.
    date = django_filters.DateFromToRangeFilter(label=_("Measured between (inclusive)."))
    updated_after = updated_after("recorded_at")

    class Meta:
        model = MetricValue
        fields = ["metric", "campaign", "plan", "channel", "date", "source", "updated_after"]
