"""The Celery app: configured from Django settings (CELERY_*), jobs found in each app's jobs.py."""

import os

from celery import Celery
from django.utils import timezone

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Jobs live in <app>/jobs.py, since `tasks` is one of our apps.
app.autodiscover_tasks(related_name="jobs")

HEARTBEAT_CACHE_KEY = "celery:heartbeat"


@app.task(name="config.celery.heartbeat", ignore_result=True)
def heartbeat() -> str:
    """Record that beat and a worker are alive; /healthz shows the time of the last beat."""
    from django.core.cache import cache

    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    return now


@app.task(name="config.celery.ping")
def ping(value: str) -> str:
    """Echo a value back: used to prove a round-trip through the broker to a worker."""
    return f"pong:{value}"
