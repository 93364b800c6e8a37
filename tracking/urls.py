from django.urls import path

from .views import alerts, issues, thresholds, webhooks

app_name = "tracking"

urlpatterns = [
    path("alerts/", alerts.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", alerts.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/resolve/", alerts.alert_resolve, name="alert_resolve"),
    path("alerts/<int:pk>/issue/", issues.alert_issue, name="alert_issue"),
    path("campaigns/<int:pk>/alerts/", alerts.campaign_alerts, name="campaign_alerts"),
    path("issues/", issues.issue_list, name="issue_list"),
    path("issues/<int:pk>/", issues.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/edit/", issues.issue_edit, name="issue_edit"),
    path("issues/<int:pk>/measure/", issues.issue_measure, name="issue_measure"),
    path("issues/<int:pk>/state/", issues.issue_state, name="issue_state"),
    path("campaigns/<int:pk>/issues/", issues.campaign_issues, name="campaign_issues"),
    path("campaigns/<int:pk>/issues/new/", issues.issue_create, name="issue_create"),
    path("campaigns/<int:pk>/issues/export/", issues.issues_export, name="issues_export"),
    path("campaigns/<int:pk>/issues/import/", issues.issues_import, name="issues_import"),
    path("plans/<int:pk>/alerts/", alerts.plan_alerts, name="plan_alerts"),
    path("campaigns/<int:pk>/thresholds/new/", thresholds.threshold_create, name="threshold_create"),
    path("plans/<int:pk>/thresholds/new/", thresholds.plan_threshold_create, name="plan_threshold_create"),
    path("thresholds/preview/", thresholds.threshold_preview, name="threshold_preview"),
    path("thresholds/<int:pk>/edit/", thresholds.threshold_edit, name="threshold_edit"),
    path(
        "thresholds/<int:pk>/deactivate/",
        thresholds.threshold_set_active,
        {"active": False},
        name="threshold_deactivate",
    ),
    path(
        "thresholds/<int:pk>/activate/",
        thresholds.threshold_set_active,
        {"active": True},
        name="threshold_activate",
    ),
    path("campaigns/<int:pk>/webhooks/", webhooks.campaign_webhooks, name="campaign_webhooks"),
    path("webhooks/departments/", webhooks.department_webhooks, name="department_webhooks"),
    path("webhooks/<int:pk>/edit/", webhooks.webhook_edit, name="webhook_edit"),
    path("webhooks/<int:pk>/delete/", webhooks.webhook_delete, name="webhook_delete"),
    path("webhooks/<int:pk>/test/", webhooks.webhook_test, name="webhook_test"),
]
