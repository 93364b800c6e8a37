from django.apps import AppConfig
from django.core.signals import got_request_exception


class CoreConfig(AppConfig):
    # Installed for its template filters (core/templatetags) and its middleware; it has no models.
    name = "core"

    def ready(self):
        from .middleware import remember_database_fault

        got_request_exception.connect(remember_database_fault, dispatch_uid="core.remember_database_fault")
