import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: a real, unreachable Redis broker.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"
BASE_DIR = Path(__file__).resolve().parents[2]


def test_healthz_answers_200_when_database_and_broker_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] == "ok"


def test_healthz_needs_no_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@override_settings(
    CELERY_BROKER_URL=UNREACHABLE_BROKER, CELERY_BROKER_TRANSPORT_OPTIONS={}, CELERY_BROKER_CONNECTION_TIMEOUT=1
)
def test_healthz_answers_503_when_the_broker_is_unreachable(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unreachable",
        "last_heartbeat": response.json()["last_heartbeat"],
    }


def test_healthz_answers_503_when_the_database_is_unreachable():
    # A real PostgreSQL address where nothing listens, in a process of its own.
    code = (
        "import django; django.setup(); from django.test.utils import setup_test_environment; "
        "setup_test_environment(); from django.test import Client; r = Client().get('/healthz'); "
        "print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=False
    )

    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body)["database"] == "unreachable"
    assert json.loads(body)["broker"] == "ok"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis broker (REDIS_URL)")
def test_healthz_asks_redis_over_a_connection_it_already_has(client):
    import redis
    from django.conf import settings

    server = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.get("/healthz")
    before = server.info("stats")["total_connections_received"]

    for _ in range(5):
        assert client.get("/healthz").status_code == 200

    # Other tests of the run (on other Redis databases) may connect meanwhile: allow one.
    assert server.info("stats")["total_connections_received"] - before <= 1
