"""One in-memory SQLite connection shared by the threads of the live server, made safe to share.

On SQLite the test database lives in memory, so pytest-django's live server hands the test
thread's connection to every request thread (LiveServerThread's connections_override): the
test body and the requests a page fires at once (the dashboard's panels, a page still loading
its fragments when the test moves on) all run their queries on one sqlite3 connection.

Python's sqlite3 deadlocks when two threads use one connection that way. A thread running
a statement holds the connection's SQLite mutex; when the statement calls one of the Python
functions Django registers on every SQLite connection (django_date_extract for a
`date__year` or `date__quarter` lookup, django_datetime_cast_date for `__date`, ...) that
thread waits for the GIL. Meanwhile another thread holding the GIL binds its parameters or
reads a row (sqlite3_bind_*, sqlite3_column_*, which CPython calls without releasing the GIL)
and waits for the mutex: neither moves again, and the whole process stops, browser waits
included (it hung once this way in tests/e2e/test_phone_layouts.py: the plan page's
attainment query in one request thread, the dashboard's reviews_due panel in another).

serialize_calls(connection) makes the threads take turns on the connection: every call
that reaches SQLite (a cursor's execute and fetches, the commit and the rollback, and the
raw query the debug cursor runs to log a statement with its parameters) holds one lock of
the connection's, which a waiting thread waits for with the GIL released.
"""

import threading
import types

from django.db.backends.sqlite3.base import SQLiteCursorWrapper

CURSOR_CALLS = ("execute", "executemany", "executescript", "fetchone", "fetchmany", "fetchall", "__next__", "close")


def _taking_turns(name: str):
    method = getattr(SQLiteCursorWrapper, name)

    def call(self, *args, **kwargs):
        with self.turns:
            return method(self, *args, **kwargs)

    call.__name__ = name
    return call


def serialize_calls(connection) -> None:
    """Let the threads sharing `connection` (a Django SQLite DatabaseWrapper) reach SQLite
    one at a time; a connection already serialized is left as it is."""
    if connection.vendor != "sqlite" or getattr(connection, "turns", None) is not None:
        return
    turns = threading.RLock()
    cursor_class = type(
        "TakingTurnsCursor",
        (SQLiteCursorWrapper,),
        {"turns": turns, **{name: _taking_turns(name) for name in CURSOR_CALLS}},
    )

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=cursor_class)

    def _commit(self):
        with turns:
            return type(self)._commit(self)

    def _rollback(self):
        with turns:
            return type(self)._rollback(self)

    def _quote_params_for_last_executed_query(ops, params):
        # The debug cursor (DEBUG, or a query count in a test) quotes the parameters of each
        # statement it logs with a query of its own, on the raw connection.
        with turns:
            return type(ops)._quote_params_for_last_executed_query(ops, params)

    connection.turns = turns
    connection.create_cursor = types.MethodType(create_cursor, connection)
    connection._commit = types.MethodType(_commit, connection)
    connection._rollback = types.MethodType(_rollback, connection)
    connection.ops._quote_params_for_last_executed_query = types.MethodType(
        _quote_params_for_last_executed_query, connection.ops
    )
