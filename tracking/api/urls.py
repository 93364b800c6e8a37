from . import adjustments, views

# (prefix, viewset, basename) for the project's single API router.
routes = [
    ("thresholds", views.ThresholdViewSet, "threshold"),
    ("alerts", views.AlertViewSet, "alert"),
    ("adjustments", adjustments.AdjustmentViewSet, "adjustment"),
]

urlpatterns = []
