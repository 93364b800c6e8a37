from django.urls import path

from .views import notifications

app_name = "notifications"

urlpatterns = [
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/read/", notifications.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
]
