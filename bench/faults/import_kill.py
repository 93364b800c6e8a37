"""Kills the fault suite's web worker in the middle of a metric-value import, at the step a
request names in its `X-Faults-Kill-At` header (the header exists only in the suite's settings,
through this middleware):

- `read`: the upload is read, nothing checked yet;
- `validate`: every row is checked; chunks of good rows may be written, not committed
  (plans.imports writes them while it checks the next);
- `write`: the first statement of the write has run (on PostgreSQL, by the import's writing
  thread, the look for values already stored, or the scratch table of an upsert), no COPY
  has;
- `before-commit`: every value is written, the transaction is not committed;
- `after-commit`: the transaction is committed, the answer is not sent.

The worker dies with SIGKILL, as under the OOM killer or `kill -9`: no exception handler, no
rollback of its own. gunicorn's master starts a new worker; PostgreSQL rolls back what the
dead connection had not committed.
"""

import os
import signal

from django.db import connection, transaction

STEPS = ("read", "validate", "write", "before-commit", "after-commit")
HEADER = "HTTP_X_FAULTS_KILL_AT"
# The step the import request names: process-wide, since the import writes from a thread of
# its own; only an import reaches the hooks, and the suite sends one at a time.
_state = {"step": None}


def _die_at(step: str):
    if _state["step"] == step:
        os.kill(os.getpid(), signal.SIGKILL)


def _patch_imports():
    from plans import imports

    if getattr(imports, "_faults_patched", False):
        return
    read_table, validate, record = imports._read_table, imports._validate, imports._record

    def _read(*args, **kwargs):
        table = read_table(*args, **kwargs)
        # The table's rows are read lazily: read them all, as the validation will.
        table.rows = iter(list(table.rows))
        _die_at("read")
        return table

    def _checked(*args, **kwargs):
        result = validate(*args, **kwargs)
        _die_at("validate")
        return result

    def _recorded(*args, **kwargs):
        with transaction.atomic():
            result = record(*args, **kwargs)
            _die_at("before-commit")
        return result

    imports._read_table, imports._validate, imports._record = _read, _checked, _recorded
    imports._faults_patched = True


def _write_then_die(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    statement = sql.lstrip().upper()
    if "METRIC_VALUE_UPSERT" in statement or (
        statement.startswith(("INSERT", "SELECT EXISTS")) and "METRICVALUE" in statement
    ):
        _die_at("write")
    return result


class KillAtStep:
    def __init__(self, get_response):
        self.get_response = get_response
        _patch_imports()

    def __call__(self, request):
        step = request.META.get(HEADER)
        if step not in STEPS:
            return self.get_response(request)
        _state["step"] = step
        try:
            with connection.execute_wrapper(_write_then_die):
                response = self.get_response(request)
            _die_at("after-commit")
            return response
        finally:
            _state["step"] = None
