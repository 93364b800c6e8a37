"""Loaded only by the real workers of test_check_fan_out.py (`celery worker -I …`): each batch
of the threshold check takes half a second longer, so that a batch is still running when the
next is handed out and a second worker has to take it."""

import time

from tracking import evaluation

_check_batch = evaluation._check_batch


def _slow_check_batch(*args, **kwargs):
    time.sleep(0.5)
    return _check_batch(*args, **kwargs)


evaluation._check_batch = _slow_check_batch
