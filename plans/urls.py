from django.urls import path

from .views import files, plans

app_name = "plans"

urlpatterns = [
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/status/", plans.plan_status, name="plan_status"),
    path("plans/<int:pk>/export.xlsx", files.plan_export, name="plan_export"),
    path("plans/<int:pk>/items/new/<str:section>/", plans.plan_item_create, name="plan_item_create"),
    path("plans/items/<int:pk>/edit/", plans.plan_item_edit, name="plan_item_edit"),
    path("plans/items/<int:pk>/delete/", plans.plan_item_delete, name="plan_item_delete"),
    path("plans/<int:pk>/quarters/<int:quarter>/", plans.quarter_edit, name="quarter_edit"),
    path("plans/<int:pk>/targets/new/", plans.plan_target_create, name="plan_target_create"),
    path("plans/<int:pk>/budget/new/", plans.budget_line_create, name="budget_line_create"),
    path("plans/<int:pk>/campaigns/new/", plans.campaign_create, name="campaign_create"),
    path("budget/<int:pk>/edit/", plans.budget_line_edit, name="budget_line_edit"),
    path("budget/<int:pk>/delete/", plans.budget_line_delete, name="budget_line_delete"),
    path("targets/<int:pk>/edit/", plans.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", plans.target_delete, name="target_delete"),
    path("targets/<int:pk>/subgoals/new/", plans.subgoal_create, name="subgoal_create"),
    path("campaigns/<int:pk>/", plans.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", plans.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/status/", plans.campaign_status, name="campaign_status"),
    path("campaigns/<int:pk>/targets/new/", plans.campaign_target_create, name="campaign_target_create"),
    path("campaigns/<int:pk>/metrics/record/", plans.metric_values_record, name="metric_values_record"),
    path("campaigns/<int:pk>/metrics/import/", files.metric_values_import, name="metric_values_import"),
    path("metrics/", plans.metric_list, name="metric_list"),
]
