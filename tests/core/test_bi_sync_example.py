"""The example script of docs/bi.md (docs/examples/bi_sync.py), run as a BI team would run it,
against a live server: a first sync, a change and a deletion, a second sync from its saved
cursors; its SQLite mirror then equals the database."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.services import api_token_create
from core import sync
from plans.models import Campaign
from tests.factories import TargetFactory, UserFactory
from tests.factories.plans import CampaignFactory

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "examples" / "bi_sync.py"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_lag(settings):
    settings.API_SYNC_LAG_SECONDS = 0


def run(live_server, key, mirror):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), live_server.url, str(mirror)],
        env={**os.environ, "BI_TOKEN": key},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def table(mirror, name) -> dict:
    with sqlite3.connect(mirror) as database:
        return {pk: json.loads(data) for pk, data in database.execute(f'SELECT id, data FROM "{name}"')}  # noqa: S608


def test_the_documented_script_mirrors_the_lists_and_drops_deleted_rows(live_server, tmp_path):
    _token, key = api_token_create(name="BI", user=UserFactory(roles=["viewer"]))
    kept, dropped = CampaignFactory.create_batch(2)
    goal = TargetFactory(campaign=dropped)
    mirror = tmp_path / "mirror.sqlite3"

    run(live_server, key, mirror)
    assert set(table(mirror, "campaigns")) == {kept.pk, dropped.pk}
    assert goal.pk in table(mirror, "targets")

    kept.name = "Renamed"
    kept.save()
    dropped.delete()
    output = run(live_server, key, mirror)

    assert "1 rows written, 2 deleted" in output  # the renamed campaign; the campaign and its goal
    assert {pk: row["name"] for pk, row in table(mirror, "campaigns").items()} == dict(
        Campaign.objects.values_list("pk", "name")
    )
    assert goal.pk not in table(mirror, "targets")


def test_the_script_syncs_every_synced_list():
    namespace = {}
    exec(compile(SCRIPT.read_text(), str(SCRIPT), "exec"), {"__name__": "bi_sync"} | namespace, namespace)  # noqa: S102
    assert namespace["RESOURCES"] == {entry.resource: entry.field for entry in sync.all_synced()}
