"""The documented backup and restore (docs/operations.md) works: the demo, dumped with pg_dump
and restored with pg_restore into an empty database, needs no migration, serves its pages and
runs a threshold check. Nothing outside the database is needed (Redis and var/ start empty)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.db import connection

from tests.database_faults import create_database, database_url, drop_database, postgresql_only

pytestmark = postgresql_only

BASE_DIR = Path(__file__).resolve().parents[2]

PAGES = ["/", "/my-tasks/", "/plans/", "/metrics/", "/alerts/", "/api/v1/plans/", "/api/v1/tasks/"]

SERVE_AND_CHECK = f"""
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from accounts.models import User
from plans.models import Campaign
setup_test_environment()
client = Client()
client.force_login(User.objects.get(username="manager"))
pages = {PAGES!r} + [campaign.get_absolute_url() for campaign in Campaign.objects.all()]
statuses = {{page: client.get(page).status_code for page in pages}}
call_command("check_thresholds")
print(json.dumps(statuses))
"""


def manage(url: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], url, **kwargs)


def run(command: list[str], url: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}
    # Redis starts empty after a restore too: the broker and cache hold nothing to restore.
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        env.pop(name, None)
    return subprocess.run(
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600, check=False, **kwargs
    )


def succeeded(result: subprocess.CompletedProcess) -> bool:
    assert result.returncode == 0, f"{result.args}: {result.stdout}\n{result.stderr}"
    return True


def test_the_demo_dumped_and_restored_into_an_empty_database_serves_pages_and_runs_a_check(tmp_path):
    suffix = uuid.uuid4().hex[:8]
    source, restored = f"{connection.settings_dict['NAME']}_src_{suffix}", f"restored_{suffix}"
    dump = tmp_path / "tracker.dump"
    create_database(source)
    create_database(restored)
    try:
        assert succeeded(manage(database_url(source), "migrate", "--noinput"))
        assert succeeded(manage(database_url(source), "seed_demo"))

        # The procedure of docs/operations.md.
        dumped = run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", database_url(source)], "")
        assert succeeded(dumped)
        assert succeeded(
            run(
                ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={database_url(restored)}", str(dump)],
                database_url(restored),
            )
        )
        assert succeeded(manage(database_url(restored), "migrate", "--check"))
        served = run([sys.executable, "-c", SERVE_AND_CHECK], database_url(restored))
        assert succeeded(served)
    finally:
        drop_database(source)
        drop_database(restored)

    statuses = json.loads(served.stdout.strip().splitlines()[-1])
    assert len(statuses) > len(PAGES)
    assert set(statuses.values()) == {200}, statuses
