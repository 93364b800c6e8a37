"""/healthz answers the same JSON whoever asks, a session cookie or not, even while the
database is down, and never loads or saves the session."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.database_faults import database_unreachable, postgresql_only

BASE_DIR = Path(__file__).resolve().parents[2]

PROBE = (
    "import django; django.setup(); from django.test.utils import setup_test_environment; "
    "setup_test_environment(); from django.test import Client; c = Client(raise_request_exception=False); "
    "c.cookies['sessionid'] = {cookie!r}; r = c.get('/healthz'); "
    "print(r.status_code, r.get('Content-Type'), r.has_header('Set-Cookie'), r.content.decode())"
)


def probe_with_postgresql_down(session_cookie: str) -> tuple[str, str, str, dict]:
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(cookie=session_cookie)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    status, content_type, set_cookie, body = result.stdout.strip().splitlines()[-1].split(" ", 3)
    return status, content_type, set_cookie, json.loads(body)


def test_with_postgresql_down_a_session_cookie_gets_the_same_json_as_an_anonymous_probe():
    anonymous = probe_with_postgresql_down("")
    signed_in = probe_with_postgresql_down("a" * 32)

    assert anonymous[:3] == ("503", "application/json", "False")
    assert anonymous[3]["database"] == "unreachable"
    assert signed_in == anonymous


@pytest.mark.django_db
def test_healthz_runs_one_query_and_leaves_the_session_alone(client, staff_user, django_assert_num_queries):
    client.force_login(staff_user)
    session_key = client.cookies["sessionid"].value

    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert not response.has_header("Set-Cookie")
    assert "Cookie" not in response.get("Vary", "")
    assert client.cookies["sessionid"].value == session_key


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_signed_in_client_and_an_anonymous_probe_get_the_same_503_json_while_postgresql_is_down(staff_user):
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(staff_user)
    anonymous = Client(raise_request_exception=False)

    with database_unreachable():
        answers = [client.get("/healthz") for client in (signed_in, anonymous)]

    for response in answers:
        assert response.status_code == 503
        assert response["Content-Type"] == "application/json"
        assert not response.has_header("Set-Cookie")
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["database"] == "unreachable"
    assert answers[0].json()["status"] == "unavailable"
