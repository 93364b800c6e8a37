"""Jobs for the tests that run a real worker (`celery worker -I tests.config.slow_jobs`): one
that overruns its time limits, one that leaves a trace of each run. They write what happened
to a file, since the worker is another process."""

import time
from pathlib import Path

from celery import shared_task


def _note(path: str, line: str) -> None:
    with Path(path).open("a") as trace:
        trace.write(f"{line}\n")


@shared_task(name="tests.overrun", ignore_result=True)
def overrun(trace: str, seconds: float) -> None:
    """Work for `seconds`, logging and carrying on past any error, as the threshold check
    once did with each threshold's; only a time limit that holds stops it early."""
    started = time.monotonic()
    _note(trace, "started")
    while time.monotonic() - started < seconds:
        try:
            time.sleep(0.05)
        except Exception as exc:
            _note(trace, f"carried on past {type(exc).__name__}")
    _note(trace, f"finished after {time.monotonic() - started:.1f}s")


@shared_task(name="tests.run_once_slowly", ignore_result=True)
def run_once_slowly(trace: str, seconds: float) -> None:
    """Note each run; the first run takes `seconds` (time to kill its worker), later runs end
    at once."""
    first = not Path(trace).exists()
    _note(trace, f"started {time.time():.1f}")
    if first:
        time.sleep(seconds)
    _note(trace, f"finished {time.time():.1f}")
