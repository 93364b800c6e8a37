"""What a failing database looks like to a request or a job: out of reach for a moment (a
restart, a dropped connection) or read-only (a failover, a full disk, a replica promoted late).

Pages and the API answer either with a clear 503 (core.middleware.DatabaseFaultMiddleware);
jobs retry on ``RETRYABLE_DATABASE_ERRORS``.
"""

from enum import StrEnum

from django.db import DatabaseError, InterfaceError, InternalError, OperationalError

# What a job retries: a connection that dropped or could not be made (OperationalError,
# InterfaceError), and a database that refuses writes for a while (PostgreSQL raises
# ReadOnlySqlTransaction, an InternalError).
RETRYABLE_DATABASE_ERRORS = (OperationalError, InterfaceError, InternalError)

# PostgreSQL's SQLSTATEs: 25006 read_only_sql_transaction; class 08 connection exceptions;
# 57P01-57P03 the server is shutting down, crashed or starting up.
READ_ONLY_SQLSTATE = "25006"
UNREACHABLE_SQLSTATES = ("57P01", "57P02", "57P03")
# SQLite's words for the same conditions (it has no SQLSTATE).
SQLITE_READ_ONLY = ("readonly database",)
SQLITE_UNREACHABLE = ("database is locked", "unable to open database file", "disk i/o error")


class DatabaseFault(StrEnum):
    UNREACHABLE = "unreachable"
    READ_ONLY = "read-only"


def database_fault(exc: BaseException | None) -> DatabaseFault | None:
    """Whether an exception means the database is out of reach or read-only (else None: a
    bug, a constraint, a deadlock… stays what it is)."""
    if not isinstance(exc, DatabaseError):
        return None
    cause = exc.__cause__
    if type(cause).__module__.startswith("psycopg"):
        code = getattr(cause, "pgcode", None)
        if code == READ_ONLY_SQLSTATE:
            return DatabaseFault.READ_ONLY
        # A client-side failure (connection refused, server closed the connection) has no code.
        if isinstance(exc, (OperationalError, InterfaceError)) and (
            code is None or code.startswith("08") or code in UNREACHABLE_SQLSTATES
        ):
            return DatabaseFault.UNREACHABLE
        return None
    text = str(exc).lower()
    if any(words in text for words in SQLITE_READ_ONLY):
        return DatabaseFault.READ_ONLY
    if isinstance(exc, OperationalError) and any(words in text for words in SQLITE_UNREACHABLE):
        return DatabaseFault.UNREACHABLE
    if isinstance(exc, InterfaceError):
        return DatabaseFault.UNREACHABLE
    return None
