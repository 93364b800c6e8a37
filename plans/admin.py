from dataclasses import fields

from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    AnnualPlan,
    BudgetLine,
    CalendarDay,
    Campaign,
    Channel,
    Metric,
    MetricValue,
    PlanItem,
    QuarterFocus,
    Target,
)

CHANNEL_FIELDS = ["code", "name_en", "name_zh", "kind", "parent", "sort_order"]


@admin.register(Channel)
class ChannelAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_en", "name_zh", "kind", "parent", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["code", "name_en", "name_zh"]

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in CHANNEL_FIELDS}
        if change:
            services.channel_update(channel=obj, by=request.user, **values)
        else:
            obj.__dict__.update(services.channel_create(by=request.user, **values).__dict__)

    def delete_model(self, request, obj):
        services.channel_delete(channel=obj, by=request.user)


@admin.register(Metric)
class MetricAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_en", "name_zh", "unit", "aggregation", "direction", "period", "is_cost", "is_active"]
    list_filter = ["unit", "aggregation", "direction", "is_active"]
    search_fields = ["code", "name_en", "name_zh"]

    def save_model(self, request, obj, form, change):
        data = services.MetricInput(
            **{field.name: form.cleaned_data[field.name] for field in fields(services.MetricInput)}
        )
        if change:
            services.metric_update(metric=obj, data=data, by=request.user)
        else:
            obj.__dict__.update(services.metric_create(data=data, by=request.user).__dict__)

    def delete_model(self, request, obj):
        services.metric_delete(metric=obj, by=request.user)


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0


class QuarterFocusInline(admin.TabularInline):
    model = QuarterFocus
    extra = 0


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    autocomplete_fields = ["channel"]


@admin.register(AnnualPlan)
class AnnualPlanAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "owner", "status", "budget", "updated_at"]
    list_filter = ["status", "year"]
    search_fields = ["title"]
    list_select_related = ["owner"]
    inlines = [QuarterFocusInline, BudgetLineInline, PlanItemInline]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "type", "owner", "start_date", "end_date", "budget", "status"]
    list_filter = ["status", "type", "plan"]
    search_fields = ["name"]
    list_select_related = ["plan", "owner"]

    # Deleting a campaign deletes its metric values, which its plan's targets count.
    @transaction.atomic
    def delete_model(self, request, obj):
        services.metric_values_changed(campaign_ids=[], plan_ids=[obj.plan_id])
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        services.metric_values_changed(campaign_ids=[], plan_ids=queryset.values_list("plan_id", flat=True))
        super().delete_queryset(request, queryset)


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "campaign", "metric", "channel", "target_value", "period_start", "period_end"]
    list_filter = ["category", "metric"]
    list_select_related = ["plan", "campaign", "metric", "channel"]
    raw_id_fields = ["parent"]


@admin.register(MetricValue)
class MetricValueAdmin(admin.ModelAdmin):
    list_display = ["date", "metric", "campaign", "channel", "value", "source", "recorded_by", "recorded_at"]
    list_filter = ["source", "metric"]
    date_hierarchy = "date"
    list_select_related = ["metric", "campaign", "channel", "recorded_by"]
    raw_id_fields = ["campaign", "plan"]

    # The cached actuals of the targets reading these values are out of date: the scopes the
    # value was in before an edit and is in after it.
    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = MetricValue.objects.filter(pk=obj.pk).values_list("campaign_id", "plan_id").first() if change else None
        super().save_model(request, obj, form, change)
        self._changed([before, (obj.campaign_id, obj.plan_id)])

    @transaction.atomic
    def delete_model(self, request, obj):
        self._changed([(obj.campaign_id, obj.plan_id)])
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        self._changed(queryset.order_by().values_list("campaign_id", "plan_id").distinct())
        super().delete_queryset(request, queryset)

    @staticmethod
    def _changed(scopes):
        scopes = [scope for scope in scopes if scope is not None]
        services.metric_values_changed(
            campaign_ids=[campaign for campaign, _ in scopes if campaign], plan_ids=[plan for _, plan in scopes]
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """Holidays and make-up working days for deadlines counted in working days, where the
    Chinese calendar package does not know the year yet or the company differs."""

    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name"]
