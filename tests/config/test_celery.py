"""A real round-trip: a task sent through Redis to a worker this test starts, and its result back."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from config.celery import app, ping

pytestmark = pytest.mark.redis

BASE_DIR = Path(__file__).resolve().parents[2]


def test_a_task_goes_through_redis_to_a_worker_and_its_result_comes_back():
    # A queue of this test's own, so that no other worker (say, `make run`'s) takes the task.
    queue = f"test-{uuid.uuid4().hex}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--queues",
            queue,
            "--pool",
            "solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "INFO",
        ],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert app.conf.broker_url.startswith("redis://")

        result = ping.apply_async(args=["hello"], queue=queue)

        assert result.get(timeout=60) == "pong:hello"
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert "pong:hello" in output or "succeeded" in output
