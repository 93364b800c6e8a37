"""Test settings: development settings with a fast password hasher, in-memory mail, and a
Celery queue of the test run's own (so jobs the tests publish never reach `make run`'s worker)."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .local import *  # noqa: F403
from .local import CELERY_BROKER_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
API_TOKEN_LAST_USED_RESOLUTION_SECONDS = 0

if CELERY_BROKER_URL.startswith("filesystem://"):
    _run_dir = Path(tempfile.mkdtemp(prefix="tracker-test-celery-"))
    atexit.register(shutil.rmtree, _run_dir, ignore_errors=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_run_dir / "queue"),
        "data_folder_out": str(_run_dir / "queue"),
        "processed_folder": str(_run_dir / "processed"),
        "control_folder": str(_run_dir / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{_run_dir / 'results'}"
    for _folder in ("queue", "processed", "control", "results"):
        (_run_dir / _folder).mkdir()
