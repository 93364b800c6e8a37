from django.urls import path

from . import file_views, views

app_name = "plans"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/status/", views.plan_status, name="plan_status"),
    path("plans/<int:pk>/export.xlsx", file_views.plan_export, name="plan_export"),
    path("plans/<int:pk>/items/new/<str:section>/", views.plan_item_create, name="plan_item_create"),
    path("plans/items/<int:pk>/edit/", views.plan_item_edit, name="plan_item_edit"),
    path("plans/items/<int:pk>/delete/", views.plan_item_delete, name="plan_item_delete"),
    path("plans/<int:pk>/quarters/<int:quarter>/", views.quarter_edit, name="quarter_edit"),
    path("plans/<int:pk>/targets/new/", views.plan_target_create, name="plan_target_create"),
    path("plans/<int:pk>/budget/new/", views.budget_line_create, name="budget_line_create"),
    path("plans/<int:pk>/campaigns/new/", views.campaign_create, name="campaign_create"),
    path("budget/<int:pk>/edit/", views.budget_line_edit, name="budget_line_edit"),
    path("budget/<int:pk>/delete/", views.budget_line_delete, name="budget_line_delete"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("targets/<int:pk>/subgoals/new/", views.subgoal_create, name="subgoal_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/status/", views.campaign_status, name="campaign_status"),
    path("campaigns/<int:pk>/targets/new/", views.campaign_target_create, name="campaign_target_create"),
    path("campaigns/<int:pk>/metrics/record/", views.metric_values_record, name="metric_values_record"),
    path("campaigns/<int:pk>/metrics/import/", file_views.metric_values_import, name="metric_values_import"),
    path("metrics/", views.metric_list, name="metric_list"),
]
