"""Makes each query of the threshold check wait FAULTS_CHECK_QUERY_DELAY seconds in the fault
suite's worker, so that a check of a few dozen thresholds lasts long enough to be killed
mid-way (a real installation's check of thousands lasts minutes)."""

import os
import time

from celery.signals import task_postrun, task_prerun
from django.db import connection

DELAY = float(os.environ.get("FAULTS_CHECK_QUERY_DELAY", "0"))
_wrappers = {}


def _slow(execute, sql, params, many, context):
    time.sleep(DELAY)
    return execute(sql, params, many, context)


@task_prerun.connect
def _slow_down(task_id=None, task=None, **kwargs):
    if DELAY and task.name == "tracking.check_thresholds":
        _wrappers[task_id] = connection.execute_wrapper(_slow)
        _wrappers[task_id].__enter__()


@task_postrun.connect
def _speed_up(task_id=None, task=None, **kwargs):
    wrapper = _wrappers.pop(task_id, None)
    if wrapper is not None:
        wrapper.__exit__(None, None, None)
