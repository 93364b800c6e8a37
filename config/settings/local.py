"""Development settings: the default of ``manage.py`` and ``make run``."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is fine here: these settings never serve production (see production.py).
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
DEMO_DATA_ALLOWED = True

for _folder in ("celery/queue", "celery/processed", "celery/control", "celery/results", "cache", "media"):
    os.makedirs(VAR_DIR / _folder, exist_ok=True)
# WhiteNoise looks for STATIC_ROOT at start-up even when it serves from the finders.
os.makedirs(BASE_DIR / "staticfiles", exist_ok=True)
