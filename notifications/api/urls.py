from . import views

# (prefix, viewset, basename) for the project's single API router.
routes = [
    ("notifications", views.NotificationViewSet, "notification"),
    ("webhooks", views.ChatWebhookViewSet, "webhook"),
]

urlpatterns = []
