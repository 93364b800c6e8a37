"""The Celery app: configured from Django settings (CELERY_*), jobs found in each app's jobs.py."""

import gc
import os

from celery import Celery
from celery.signals import beat_init, before_task_publish, worker_shutdown
from django.utils import timezone

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Jobs live in <app>/jobs.py, since `tasks` is one of our apps.
app.autodiscover_tasks(related_name="jobs")

HEARTBEAT_CACHE_KEY = "celery:heartbeat"


@beat_init.connect
@worker_shutdown.connect
def skip_the_last_garbage_collection(**kwargs) -> None:
    """Spare a stopping worker or beat the interpreter's full garbage collection at exit,
    which took 2-3 s on a loaded machine (a Ctrl-C of `make run` waited for it): freeze what
    exists (for beat, once it has started: what lives as long as it does). The operating
    system takes the memory back."""
    gc.freeze()


@before_task_publish.connect
def leave_time_limits_to_the_worker(headers=None, **kwargs) -> None:
    """Publish every job without time limits of its own, so that the worker's apply.

    Celery stamps the publisher's task_time_limit and task_soft_time_limit on each message,
    and a worker obeys the message over its own settings: beat and the web processes would
    impose their limits on every job, and limits lowered on the workers would be ignored.
    A job that declares its own limits keeps them (the worker reads them from the job)."""
    if headers is not None and "timelimit" in headers:
        headers["timelimit"] = (None, None)


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
