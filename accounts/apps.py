from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("People and organisation")

    def ready(self):
        from core import sync

        from .models import Department, User

        sync.track(User, "users")
        sync.track(Department, "departments")
        from .api import schema  # noqa: F401 - registers the token scheme with drf-spectacular
