from django.urls import path

from . import views

# (prefix, viewset, basename) for the project's single API router.
routes = [
    ("users", views.UserViewSet, "user"),
    ("departments", views.DepartmentViewSet, "department"),
]

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
]
