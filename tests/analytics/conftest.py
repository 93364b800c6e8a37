import pytest
from django.conf import settings

SKIP_REASON = (
    "the analytics schema is PostgreSQL only: run with "
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> (as .ci/run does)"
)


def pytest_collection_modifyitems(config, items):
    """Skipped on SQLite before any fixture runs (a transactional test's flush costs seconds)."""
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    for item in items:
        if "tests/analytics/" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))
