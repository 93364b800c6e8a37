from . import issues, views

# (prefix, viewset, basename) for the project's single API router.
routes = [
    ("thresholds", views.ThresholdViewSet, "threshold"),
    ("alerts", views.AlertViewSet, "alert"),
    ("issues", issues.IssueViewSet, "issue"),
]

urlpatterns = []
