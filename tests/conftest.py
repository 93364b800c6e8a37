import threading
import time

import pytest
from rest_framework.test import APIClient

from accounts.models import Role, User
from accounts.services import api_token_create
from tests.factories import UserFactory
from tests.shared_sqlite import serialize_calls

# Reference data that data migrations load; a transactional test's flush drops it.
REFERENCE_DATA_MIGRATIONS = [
    ("accounts", "0002_role_groups", "create_role_groups"),
    # Derived metrics back to plain ones first: 0002's load rewrites their aggregation.
    ("plans", "0008_derived_metrics", "underive"),
    ("plans", "0002_reference_data", "load"),
    ("plans", "0004_reference_texts_in_both_languages", "fill_chinese"),
    ("plans", "0008_derived_metrics", "derive"),
    ("plans", "0011_conversion_rate_derived", "derive"),
]


@pytest.fixture(autouse=True)
def _reference_data_survives_flushes(request):
    """A transactional test ends with a flush, which drops the role groups, metric dictionary
    and channels that data migrations created; put them back for the transactional tests
    that follow (pytest-django runs those after all the others)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    for app, migration, function in REFERENCE_DATA_MIGRATIONS:
        getattr(importlib.import_module(f"{app}.migrations.{migration}"), function)(apps, None)


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server. On SQLite its request threads share the test thread's
    in-memory connection, and take turns on it (tests/shared_sqlite.py: sharing it freely
    can deadlock the whole run). The test database is set up first, so that the server
    shares it whether or not a test before it used the database (pytest sets session
    fixtures up before the database a test's marker asks for)."""
    for connection in live_server.thread.connections_override.values():
        serialize_calls(connection)
    return live_server


# The live server's request threads (socketserver names them after process_request_thread).
REQUEST_THREAD = "(process_request_thread)"


@pytest.fixture(autouse=True)
def _live_requests_end_before_the_database_is_emptied(request):
    """A test with the live server ends with the browser's pages closed; a request the page
    had started (an htmx panel loading, say) may still be running in a server thread. The
    database is emptied after the test, and on SQLite, where that thread shares the test's
    connection, emptying a table that its unfinished statement reads fails ("database table
    is locked"). So after such a test, the server's request threads are waited for (at most
    15 s) before the database is emptied."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")  # set up first, so emptied after this waits
    yield
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(
        thread.name.endswith(REQUEST_THREAD) and thread.is_alive() for thread in threading.enumerate()
    ):
        time.sleep(0.05)


@pytest.fixture
def fresh_cache(settings):
    """An empty cache of the test's own, in memory: pages keep figures in the cache between
    loads (plans.actuals); `fresh_cache.clear()` empties it again."""
    import uuid

    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
            # One entry per campaign: the default 300 would cull entries of a large plan's page.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
    return cache


@pytest.fixture
def count_queries(db):
    """count_queries(fn): how many SQL queries fn() runs; it must answer 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(fn) -> int:
        with CaptureQueriesContext(connection) as context:
            response = fn()
        assert response.status_code == 200, response
        return len(context.captured_queries)

    return count


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def make_user(db):
    """make_user(role, **fields): a person in one role group (or none)."""

    def make(role: str | None = None, **fields):
        return UserFactory(roles=[role] if role else [], **fields)

    return make


@pytest.fixture
def manager(make_user):
    return make_user(Role.MARKETING_MANAGER, username="manager")


@pytest.fixture
def staff_user(make_user):
    return make_user(Role.STAFF, username="staffer")


@pytest.fixture
def admin_user(make_user):
    return make_user(None, username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def api_token(make_user):
    """A read-only token (and its key) owned by a viewer, as a BI tool would use."""
    viewer = make_user(Role.VIEWER, username="bi")
    token, key = api_token_create(name="Power BI", user=viewer)
    return token, key


@pytest.fixture
def token_client(api_token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token[1]}")
    return client


@pytest.fixture
def admin_client(api_client, admin_user):
    """An API client signed in as admin_user. It replaces pytest-django's admin_client (a page
    client): page tests sign in with client.force_login."""
    api_client.force_authenticate(admin_user)
    return api_client


@pytest.fixture
def client_as(request, make_user):
    """client_as(who): an API client signed in as a new person in that role, as a given
    User, as an administrator ("admin"), or with a read-only BI token ("token"); its .user
    is that person (for a token, the token's owner)."""

    def build(who, **fields):
        if who == "token":
            client = request.getfixturevalue("token_client")
            client.user = request.getfixturevalue("api_token")[0].user
            return client
        if isinstance(who, User):
            user = who
        elif who == "admin":
            user = make_user(None, is_staff=True, is_superuser=True, **fields)
        else:
            user = make_user(who, **fields)
        client = APIClient()
        client.force_authenticate(user)
        client.user = user
        return client

    return build


def pytest_collection_modifyitems(config, items):
    """Redis tests run whenever REDIS_URL is set (always in CI); otherwise they say how to run them."""
    import os

    if os.environ.get("REDIS_URL"):
        return
    skip = pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0 (as .ci/run does)")
    for item in items:
        if "redis" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _site_language_at_the_start_of_each_test():
    """A page in Chinese leaves Chinese active in this thread (the locale middleware does not
    switch back); every test starts in the site's language, whatever ran before it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
