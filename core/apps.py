from django.apps import AppConfig


class CoreConfig(AppConfig):
    # Installed for its template filters (core/templatetags); it has no models.
    name = "core"
