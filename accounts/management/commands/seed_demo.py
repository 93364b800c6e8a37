import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo data (departments, people, and each app's demo plan, campaign, tasks…). "
        "Idempotent: running it twice changes nothing. Refused under production settings."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("seed_demo refuses to run with production settings: its logins have known passwords.")
        logins = []
        # Each app may ship a demo.py with seed(); they run in INSTALLED_APPS order, which is
        # the order of the layers (accounts, plans, tasks, tracking, reviews).
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue
            result = importlib.import_module(module_name).seed(stdout=self.stdout)
            if app_config.name == "accounts":
                logins = result
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, name in logins:
            self.stdout.write(f"  {username:<12} {name}")
