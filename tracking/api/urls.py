from . import views, weekly

# (prefix, viewset, basename) for the project's single API router.
routes = [
    ("thresholds", views.ThresholdViewSet, "threshold"),
    ("alerts", views.AlertViewSet, "alert"),
    ("weekly-logs", weekly.WeeklyLogViewSet, "weekly-log"),
]

urlpatterns = []
