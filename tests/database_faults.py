"""Faults of the database for the tests: out of reach, read-only, a connection killed."""

import urllib.parse
from contextlib import contextmanager

import psycopg2
import pytest
from django.db import connection

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name> (as .ci/run does)",
)


@contextmanager
def database_unreachable():
    """Point the connection at a port where nothing listens (PostgreSQL down), then back."""
    settings_dict = connection.settings_dict
    saved = settings_dict["HOST"], settings_dict["PORT"]
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", "1"
    try:
        yield
    finally:
        connection.close()
        settings_dict["HOST"], settings_dict["PORT"] = saved


@contextmanager
def read_only_database():
    """Make this session's database refuse writes, as after a failover to a replica; then back.
    Use it in a transactional test: PostgreSQL applies it to the transactions that follow."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET default_transaction_read_only = on")
        else:
            cursor.execute("PRAGMA query_only = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET default_transaction_read_only = off")
            else:
                cursor.execute("PRAGMA query_only = OFF")


def admin_connection():
    """A second connection to the test database, as an administrator's psql would be."""
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"] or None, port=db["PORT"] or None
    )


def kill_connection() -> None:
    """Terminate this test's own PostgreSQL backend from a second connection (what a restart
    does to every open connection): the next query on it fails."""
    connection.ensure_connection()
    pid = connection.connection.get_backend_pid()
    admin = admin_connection()
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        admin.close()


def database_url(name: str) -> str:
    """The address of another database on the test database's server."""
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "", safe="")
    password = f":{urllib.parse.quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def create_database(name: str) -> None:
    _on_server(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    _on_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _on_server(*statements: str) -> None:
    db = connection.settings_dict
    server = psycopg2.connect(
        dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"] or None, port=db["PORT"] or None
    )
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        server.close()
