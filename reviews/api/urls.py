from . import views

# (prefix, viewset, basename) for the project's single API router.
routes = [
    ("reviews", views.ReviewViewSet, "review"),
    ("review-lines", views.ReviewLineViewSet, "review-line"),
    ("lessons", views.LessonViewSet, "lesson"),
    ("follow-up-actions", views.FollowUpActionViewSet, "follow-up-action"),
    ("knowledge", views.KnowledgeSearchViewSet, "knowledge"),
]

urlpatterns = []
