"""Settings of the processes the fault suite starts (web, worker, beat): development settings
without debug pages, static files served without a manifest, e-mails written to files the suite
counts, and the delivery sweep every few seconds instead of every minute, so that a fault and
its recovery fit in seconds."""

from config.settings.local import *  # noqa: F403
from config.settings.local import CELERY_BEAT_SCHEDULE, env

DEBUG = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("FAULTS_MAIL_DIR")
CELERY_BEAT_SCHEDULE_FILENAME = env("FAULTS_BEAT_SCHEDULE")
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "sweep-deliveries": {
        **CELERY_BEAT_SCHEDULE["sweep-deliveries"],
        "schedule": env.int("FAULTS_SWEEP_SECONDS", default=5),
    },
}
# A check slow enough to be killed in the middle (bench/faults/slow_check.py).
CELERY_IMPORTS = ["bench.faults.slow_check"]
# The import killed at each step (bench/faults/import_kill.py): only requests carrying its
# header are affected.
MIDDLEWARE = [*MIDDLEWARE, "bench.faults.import_kill.KillAtStep"]  # noqa: F405
