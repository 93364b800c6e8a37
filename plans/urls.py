from django.urls import path

from .views import campaigns, files, metrics, plans, targets, tokens


def build_urlpatterns(*, campaign_create) -> list:
    """plans' pages. Whoever mounts them gives the page that creates a campaign: the project's
    URLconf gives tasks.views.campaigns.campaign_create, which also creates the campaign's
    stages (plans cannot import tasks)."""
    return [
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
        path("plans/<int:pk>/targets/new/", targets.plan_target_create, name="plan_target_create"),
        path("plans/<int:pk>/budget/new/", plans.budget_line_create, name="budget_line_create"),
        path("plans/<int:pk>/campaigns/new/", campaign_create, name="campaign_create"),
        path("budget/<int:pk>/edit/", plans.budget_line_edit, name="budget_line_edit"),
        path("budget/<int:pk>/delete/", plans.budget_line_delete, name="budget_line_delete"),
        path("targets/<int:pk>/edit/", targets.target_edit, name="target_edit"),
        path("targets/<int:pk>/delete/", targets.target_delete, name="target_delete"),
        path("targets/<int:pk>/subgoals/new/", targets.subgoal_create, name="subgoal_create"),
        path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
        path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
        path("campaigns/<int:pk>/status/", campaigns.campaign_status, name="campaign_status"),
        path("campaigns/<int:pk>/targets/new/", targets.campaign_target_create, name="campaign_target_create"),
        path("campaigns/<int:pk>/metrics/record/", metrics.metric_values_record, name="metric_values_record"),
        path("campaigns/<int:pk>/metrics/import/", files.metric_values_import, name="metric_values_import"),
        path("metrics/", metrics.metric_list, name="metric_list"),
        path("bi-tokens/", tokens.api_tokens, name="api_tokens"),
        path("bi-tokens/<int:pk>/revoke/", tokens.api_token_revoke, name="api_token_revoke"),
    ]
