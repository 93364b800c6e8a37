from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from plans.urls import build_urlpatterns as plans_urlpatterns
from reviews.views import knowledge as reviews_knowledge
from tasks.urls import build_urlpatterns as tasks_urlpatterns
from tracking.urls import build_urlpatterns as tracking_urlpatterns

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
    # The new-task page and the campaign's weekly review show the lessons of past campaigns
    # of the same type and channels beside them: reviews serves them through the lower layer.
    path("", include((tasks_urlpatterns(task_create=reviews_knowledge.task_create), "tasks"))),
    path("", include((tracking_urlpatterns(campaign_review=reviews_knowledge.campaign_review), "tracking"))),
    path("", include("reviews.urls")),
    path("api/v1/", include(("config.api.urls", "api"), namespace="api")),
    path("admin/", admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
