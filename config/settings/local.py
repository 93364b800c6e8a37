"""Development settings: the default of ``manage.py`` and ``make run``."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is fine here: these settings never serve production (see production.py).
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
DEMO_DATA_ALLOWED = True

# SQLite with a web server and a threaded worker writing at once: wait for the lock rather
# than fail, and take the write lock when a transaction starts (no deadlocked upgrades).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

for _folder in ("celery/queue", "celery/processed", "celery/control", "celery/results", "cache", "media"):
    os.makedirs(VAR_DIR / _folder, exist_ok=True)
# WhiteNoise looks for STATIC_ROOT at start-up even when it serves from the finders.
os.makedirs(BASE_DIR / "staticfiles", exist_ok=True)
