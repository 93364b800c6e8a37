from django.urls import path

from .views import adjustments, alerts, issues, monthly_review, thresholds, webhooks, weekly

app_name = "tracking"

_pages = [
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
    path("campaigns/<int:pk>/adjustments/", adjustments.campaign_adjustments, name="campaign_adjustments"),
    path(
        "campaigns/<int:pk>/adjustments/panel/",
        adjustments.campaign_adjustments_panel,
        name="campaign_adjustments_panel",
    ),
    path(
        "campaigns/<int:pk>/adjustments/new/<str:kind>/",
        adjustments.campaign_adjustment_request,
        name="campaign_adjustment_request",
    ),
    path("plans/<int:pk>/adjustments/", adjustments.plan_adjustments, name="plan_adjustments"),
    path("plans/<int:pk>/adjustments/panel/", adjustments.plan_adjustments_panel, name="plan_adjustments_panel"),
    path(
        "plans/<int:pk>/adjustments/new/<str:kind>/",
        adjustments.plan_adjustment_request,
        name="plan_adjustment_request",
    ),
    path("plans/<int:pk>/monthly-review/", monthly_review.monthly_review, name="monthly_review"),
    path("plans/<int:pk>/monthly-review/<str:month>/", monthly_review.monthly_review, name="monthly_review_month"),
    path("adjustments/figure/", adjustments.figure_adjustments, name="figure_adjustments"),
    path("adjustments/<int:pk>/", adjustments.adjustment_detail, name="adjustment_detail"),
    path("adjustments/<int:pk>/approve/", adjustments.adjustment_approve, name="adjustment_approve"),
    path("adjustments/<int:pk>/reject/", adjustments.adjustment_reject, name="adjustment_reject"),
    path("adjustments/<int:pk>/withdraw/", adjustments.adjustment_withdraw, name="adjustment_withdraw"),
]


def build_urlpatterns(*, campaign_review=weekly.campaign_review) -> list:
    """tracking's pages. Whoever mounts them may give the campaign's weekly review page: the
    project's URLconf gives reviews' one, which shows the lessons of past campaigns beside it
    (tracking cannot import reviews)."""
    return [
        *_pages,
        # The weekly review and weekly progress logs (form 2).
        path("campaigns/<int:pk>/weekly-review/", campaign_review, name="campaign_review"),
        path("plans/<int:pk>/weekly-review/", weekly.plan_review, name="plan_review"),
        path("campaigns/<int:pk>/weekly-logs/", weekly.weekly_log_list, name="weekly_log_list"),
        path("campaigns/<int:pk>/weekly-logs/draft/", weekly.weekly_log_draft, name="weekly_log_draft"),
        path("weekly-logs/<int:pk>/", weekly.weekly_log_detail, name="weekly_log_detail"),
        path("weekly-logs/<int:pk>/publish/", weekly.weekly_log_publish, name="weekly_log_publish"),
        path("weekly-logs/<int:pk>/correct/", weekly.weekly_log_correct, name="weekly_log_correct"),
        path("weekly-logs/<int:pk>/export/", weekly.weekly_log_export, name="weekly_log_export"),
    ]


urlpatterns = build_urlpatterns()
