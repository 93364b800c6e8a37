"""The REST API under /api/v1/: one router for every app's viewsets, schema and docs."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api import urls as accounts_api
from core.api.deletions import DeletedObjectViewSet
from core.api.export import export_views
from notifications.api import urls as notifications_api
from plans.api import urls as plans_api
from plans.api.export import metric_values_copy
from reviews.api import urls as reviews_api
from tasks.api import urls as tasks_api
from tasks.api.views import CampaignViewSet as CampaignWithStagesViewSet
from tracking.api import urls as tracking_api


class APIRootView(DefaultRouter.APIRootView):
    """The marketing plan tracker's API: plans, targets with attainment, campaigns, metric
    values, tasks and their status updates, thresholds, alerts, the issue register and notifications. Read-only
    tokens for BI tools (created on /bi-tokens/): `Authorization: Token <key>`, never in the URL;
    600 requests a minute per token. Every list answers `?format=csv`, paged like JSON, and
    walks by cursor for incremental syncs (`?sync=1`, deletions at /api/v1/deletions/); whole
    tables stream from /api/v1/export/<entity>/ (CSV, NDJSON, XLSX) and target against actual
    per day or week from /api/v1/facts/targets/. The OpenAPI schema is at /api/v1/schema/ and
    its documentation at /api/v1/docs/. Connecting Power BI, Excel, Metabase and Superset (and
    the read-only `analytics` schema in PostgreSQL): docs/bi.md in the repository."""


class Router(DefaultRouter):
    APIRootView = APIRootView


# A new campaign gets the template's stages, which plans cannot create (it cannot import
# tasks): plans' campaigns route (same prefix and basename) is served by the tasks layer's
# subclass of its viewset.
TAKEN_OVER = {"campaigns": CampaignWithStagesViewSet}

router = Router()
router.register("deletions", DeletedObjectViewSet, basename="deletion")
for app_api in (accounts_api, notifications_api, plans_api, tasks_api, tracking_api, reviews_api):
    for prefix, viewset, basename in app_api.routes:
        router.register(prefix, TAKEN_OVER.get(prefix, viewset), basename=basename)

# The entities a BI tool copies whole: /api/v1/export/<entity>/ (core.api.export), each the
# list route of the same name without its pages; metric values by COPY on PostgreSQL.
EXPORTED = [
    "plans",
    "targets",
    "campaigns",
    "metric-values",
    "tasks",
    "status-updates",
    "assignments",
    "alerts",
    "issues",
    "weekly-logs",
    "adjustments",
    "reviews",
]
COPY_PATHS = {"metric-values": metric_values_copy}
_viewsets = {prefix: viewset for prefix, viewset, _basename in router.registry}
export_patterns = [
    path(f"export/{entity}/", view.as_view(), name=f"export-{entity}")
    for entity, view in export_views((entity, _viewsets[entity], COPY_PATHS.get(entity)) for entity in EXPORTED)
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The docs page is for people in a browser: without a session it sends them to log in. Its
    # script is a file of its own (?script), as the Content-Security-Policy allows no inline one.
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("", include(accounts_api.urlpatterns)),
    path("", include(notifications_api.urlpatterns)),
    path("", include(plans_api.urlpatterns)),
    path("", include(tasks_api.urlpatterns)),
    path("", include(tracking_api.urlpatterns)),
    *export_patterns,
    path("", include(router.urls)),
]
