from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate


class AnalyticsConfig(AppConfig):
    """The read-only analytics schema of SQL views for BI tools (PostgreSQL only): the top
    layer, since its views read every app's tables."""

    name = "analytics"
    verbose_name = "Analytics"

    def ready(self):
        # Once per migrate (sent for every app; only analytics' own signal acts).
        pre_migrate.connect(_drop_views, sender=self)
        post_migrate.connect(_create_views, sender=self)


def _drop_views(using="default", plan=None, **kwargs):
    from .schema import drop_views

    # Only when there is something to migrate: a migrate with nothing to do keeps the views.
    if plan:
        drop_views(connections[using])


def _create_views(using="default", **kwargs):
    from .schema import SCHEMA, create_views, supported

    connection = connections[using]
    if not supported(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [SCHEMA])
        if cursor.fetchone() is None:  # the schema's migration is not applied (migrate to an older state)
            return
    create_views(connection)
