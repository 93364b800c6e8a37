from . import adjustments, issues, views, weekly

# (prefix, viewset, basename) for the project's single API router.
routes = [
    ("thresholds", views.ThresholdViewSet, "threshold"),
    ("alerts", views.AlertViewSet, "alert"),
    ("adjustments", adjustments.AdjustmentViewSet, "adjustment"),
    ("weekly-logs", weekly.WeeklyLogViewSet, "weekly-log"),
    ("issues", issues.IssueViewSet, "issue"),
]

urlpatterns = []
