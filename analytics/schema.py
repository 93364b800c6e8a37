"""The read-only analytics schema in PostgreSQL: SQL views for BI tools that connect to the
database (Metabase, Superset, FineBI), read with the role of `create_analytics_role`.

The views are defined in analytics/sql/views.sql and kept in step with the models by every
`manage.py migrate`: before it runs, the views are dropped (so that a migration may change or
drop a column a view reads), and after it they are created again from the file as it is now.
Change views.sql in the same commit as a model whose columns it reads; tests/analytics queries
every view. The reader's SELECT survives the drop and re-creation through the schema's default
privileges (see grant_reader). Nothing happens on another database (SQLite in development).
"""

import re
from pathlib import Path

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

SCHEMA = "analytics"
VIEWS_SQL = Path(__file__).resolve().parent / "sql" / "views.sql"
TIME_ZONE_NAME = re.compile(r"[A-Za-z0-9_/+-]+")
STATEMENT_SEPARATOR = "-- ;;"


def supported(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "postgresql"


def site_today() -> str:
    """SQL for today's date in the site's time zone: the day the pages and the API call today
    (CURRENT_DATE would be the reading session's day, a UTC day for Django's own sessions)."""
    zone = settings.TIME_ZONE
    if not TIME_ZONE_NAME.fullmatch(zone):
        raise ValueError(f"TIME_ZONE {zone!r} is not a time zone name")
    return f"(now() AT TIME ZONE '{zone}')::date"


def view_statements() -> list[str]:
    """views.sql's statements, in order, with SITE_TODAY written in."""
    text = VIEWS_SQL.read_text(encoding="utf-8").replace("SITE_TODAY", site_today())
    return [part.strip() for part in text.split(STATEMENT_SEPARATOR) if _has_sql(part)]


def _has_sql(part: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in part.splitlines())


def view_names(connection: BaseDatabaseWrapper) -> list[str]:
    """The views the analytics schema holds now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.views WHERE table_schema = %s ORDER BY 1", [SCHEMA])
        return [row[0] for row in cursor.fetchall()]


def drop_views(connection: BaseDatabaseWrapper) -> None:
    """Drop every view of the schema (the schema and its privileges stay)."""
    if not supported(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [SCHEMA])
        if cursor.fetchone() is None:
            return
    names = view_names(connection)
    if names:
        with connection.cursor() as cursor:
            cursor.execute("DROP VIEW IF EXISTS {} CASCADE".format(", ".join(f'"{SCHEMA}"."{name}"' for name in names)))


def create_views(connection: BaseDatabaseWrapper) -> None:
    """Create the schema if needed and (re)create its views from views.sql, in one transaction."""
    if not supported(connection):
        return
    drop_views(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        for statement in view_statements():
            cursor.execute(statement)


def grant_reader(connection: BaseDatabaseWrapper, *, role: str) -> None:
    """Let `role` read the analytics views and nothing else: USAGE on the schema, SELECT on its
    views now and on those created later by the user that runs migrations (default privileges),
    read-only transactions; no privilege on the public schema's tables."""
    from psycopg2 import sql

    statements = [
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}"),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}"),
        sql.SQL("GRANT CONNECT ON DATABASE {db} TO {}"),
        sql.SQL("GRANT USAGE ON SCHEMA analytics TO {}"),
        sql.SQL("REVOKE CREATE ON SCHEMA analytics FROM {}"),
        sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO {}"),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA analytics GRANT SELECT ON TABLES TO {}"),
        sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_user")
        database, owner = cursor.fetchone()
        for statement in statements:
            cursor.execute(
                statement.format(sql.Identifier(role), db=sql.Identifier(database), owner=sql.Identifier(owner))
            )
