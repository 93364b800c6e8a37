"""What `make run` does before it starts the processes, skipping what has not changed: apply
migrations only when some are unapplied, load the demo data only when the database does not
have it yet or a demo.py changed since it was loaded, and print the demo logins either way.

A second `make run` therefore costs one Django start-up, not a migrate and a re-seed."""

import hashlib
import importlib.util
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.demo import DEMO_PASSWORD, PEOPLE
from accounts.models import User


def demo_fingerprint() -> str:
    """A hash of every app's demo.py and of the migrations they were loaded on."""
    digest = hashlib.sha256()
    for app_config in apps.get_app_configs():
        spec = importlib.util.find_spec(f"{app_config.name}.demo")
        if spec is not None and spec.origin:
            digest.update(Path(spec.origin).read_bytes())
    for app_label, name in sorted(MigrationExecutor(connection).loader.applied_migrations):
        digest.update(f"{app_label}.{name}".encode())
    return digest.hexdigest()


def marker_path() -> Path:
    """One marker per database, so a second database (or a deleted one) is seeded again."""
    database = connection.settings_dict
    key = hashlib.sha256(f"{database['ENGINE']}|{database['HOST']}|{database['PORT']}|{database['NAME']}".encode())
    return Path(settings.VAR_DIR) / f"demo-loaded-{key.hexdigest()[:12]}"


class Command(BaseCommand):
    help = "Migrate if needed and load the demo data if needed, then print the demo logins (used by `make run`)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("prepare_run loads demo data: it refuses to run with production settings.")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", interactive=False, verbosity=1)
        else:
            self.stdout.write("Migrations: up to date.")
        marker, fingerprint = marker_path(), demo_fingerprint()
        loaded = marker.exists() and marker.read_text() == fingerprint
        if loaded and User.objects.filter(username__in=[person[0] for person in PEOPLE]).count() == len(PEOPLE):
            self.stdout.write("Demo data: already loaded (run `make demo` to load it again).")
            self._print_logins()
            return
        call_command("seed_demo", stdout=self.stdout)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(demo_fingerprint())

    def _print_logins(self):
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, name, *_rest in PEOPLE:
            self.stdout.write(f"  {username:<12} {name}")
