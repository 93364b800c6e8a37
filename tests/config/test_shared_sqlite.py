"""The live server's request threads and the test thread share one in-memory SQLite connection
(pytest-django, on SQLite): they take turns on it, or the whole run can deadlock
(tests/shared_sqlite.py). The threads are run in a child process, where a deadlock would stop
only that process. (Without the turns, the same threads deadlocked within a second on
Python 3.11; that is a race, so it is not asserted here, only written down.)"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]

# Two threads on one Django SQLite connection for two seconds, as two requests of the live
# server: one query calling a Python function per row (Django's django_date_extract, as a
# `date__year` lookup does), and small queries with parameters (as the dashboard's panels),
# logged by the debug cursor (DEBUG is on in config.settings.test outside pytest).
SHARED_CONNECTION = """
import threading, time
import django

django.setup()
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from tests.shared_sqlite import serialize_calls

shared = DatabaseWrapper({**connection.settings_dict, "NAME": "file:shared?mode=memory&cache=shared"}, alias="shared")
serialize_calls(shared)
shared.inc_thread_sharing()
shared.ensure_connection()  # open before the threads start, as the live server's is
stop = threading.Event()
ROWS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "


def year_per_row():
    while not stop.is_set():
        with shared.cursor() as cursor:
            cursor.execute(ROWS + "SELECT sum(django_date_extract('year', '2026-06-18')) FROM n")
            assert cursor.fetchone()[0] == 2026 * 20000


def small_lookups():
    while not stop.is_set():
        with shared.cursor() as cursor:
            cursor.execute("SELECT %s + 1", [1])
            assert cursor.fetchall() == [(2,)]


threads = [threading.Thread(target=target, daemon=True) for target in (year_per_row, small_lookups, small_lookups)]
for thread in threads:
    thread.start()
time.sleep(2)
stop.set()
for thread in threads:
    thread.join()
print("done", flush=True)
"""


def run_threads(timeout: float):
    # On SQLite whatever the run's database: the child opens a connection of its own in memory.
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    return subprocess.run(
        [sys.executable, "-c", SHARED_CONNECTION],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_threads_taking_turns_on_one_sqlite_connection_all_finish():
    result = run_threads(timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "done"


@pytest.mark.django_db(transaction=True)
def test_the_live_server_shares_its_sqlite_connection_only_taking_turns(live_server):
    shared = live_server.thread.connections_override
    if not shared:
        pytest.skip("each request thread has a connection of its own (PostgreSQL)")
    assert shared["default"] is connections["default"]
    with connections["default"].cursor() as cursor:
        assert cursor.cursor.turns is connections["default"].turns
