from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from plans.urls import build_urlpatterns as plans_urlpatterns
from reviews.views import knowledge as reviews_knowledge

from . import views

admin.site.site_header = _("Marketing plan tracker administration")
admin.site.site_title = _("Marketing plan tracker")

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("", include("notifications.urls")),
    # A new campaign gets the template's stages, which plans cannot create (it cannot import
    # tasks), and the lessons of past campaigns beside its form (reviews): plans' "new
    # campaign" page (same path and name) is served by reviews through the tasks layer.
    path("", include((plans_urlpatterns(campaign_create=reviews_knowledge.campaign_create), "plans"))),
    path("", include("tasks.urls")),
    path("", include("tracking.urls")),
    path("", include("reviews.urls")),
    path("api/v1/", include(("config.api.urls", "api"), namespace="api")),
    path("admin/", admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
