from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("Marketing plan tracker administration")
admin.site.site_title = _("Marketing plan tracker")

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("", include("notifications.urls")),
    path("", include("plans.urls")),
    path("", include("tasks.urls")),
    path("", include("tracking.urls")),
    path("api/v1/", include(("config.api.urls", "api"), namespace="api")),
    path("admin/", admin.site.urls),
]

handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
