from . import views

# (prefix, viewset, basename) for the project's single API router.
routes = [
    ("stages", views.StageViewSet, "stage"),
    ("milestones", views.MilestoneViewSet, "milestone"),
    ("tasks", views.TaskViewSet, "task"),
    ("assignments", views.AssignmentViewSet, "assignment"),
    ("status-updates", views.StatusUpdateViewSet, "status-update"),
]

urlpatterns = []
