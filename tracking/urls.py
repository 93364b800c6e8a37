from django.urls import path

from . import views

app_name = "tracking"

urlpatterns = [
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/resolve/", views.alert_resolve, name="alert_resolve"),
    path("campaigns/<int:pk>/alerts/", views.campaign_alerts, name="campaign_alerts"),
    path("campaigns/<int:pk>/thresholds/new/", views.threshold_create, name="threshold_create"),
    path("plans/<int:pk>/alerts/", views.plan_alerts, name="plan_alerts"),
    path("plans/<int:pk>/thresholds/new/", views.plan_threshold_create, name="plan_threshold_create"),
    path("thresholds/preview/", views.threshold_preview, name="threshold_preview"),
    path("thresholds/<int:pk>/edit/", views.threshold_edit, name="threshold_edit"),
    path(
        "thresholds/<int:pk>/deactivate/",
        views.threshold_set_active,
        {"active": False},
        name="threshold_deactivate",
    ),
    path("thresholds/<int:pk>/activate/", views.threshold_set_active, {"active": True}, name="threshold_activate"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
]
