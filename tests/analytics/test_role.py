"""The read-only role of `create_analytics_role` reads the analytics views and nothing else:
not the public schema's tables (accounts_user), and it writes nowhere. It connects as a BI tool
would, over TCP to 127.0.0.1; pg_hba trusts local connections on the test machine, so these tests
prove privileges, not passwords."""

import uuid

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import CampaignFactory, MetricValueFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def role():
    name = f"bi_reader_{uuid.uuid4().hex[:8]}"
    yield name
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
        if cursor.fetchone():
            cursor.execute(f'DROP OWNED BY "{name}"')
            cursor.execute(f'DROP ROLE "{name}"')


@pytest.fixture
def as_role(role):
    """A psycopg2 connection to the test database as the role."""
    call_command("create_analytics_role", name=role, password="s3cret-reader")
    settings = connection.settings_dict
    reader = psycopg2.connect(
        host="127.0.0.1", port=settings["PORT"] or 5432, dbname=settings["NAME"], user=role, password="s3cret-reader"
    )
    reader.autocommit = True
    yield reader
    reader.close()


def fails(reader, sql: str) -> str:
    """Run sql as the reader; it must be refused. Returns the error's SQLSTATE."""
    with pytest.raises(psycopg2.Error) as error, reader.cursor() as cursor:
        cursor.execute(sql)
    return error.value.pgcode


def test_the_role_reads_every_view(as_role):
    MetricValueFactory(campaign=CampaignFactory())
    counts = {}
    with as_role.cursor() as cursor:
        for view in ["metric_values", "target_attainment_daily", "tasks", "alerts", "issues"]:
            cursor.execute(f"SELECT count(*) FROM analytics.{view}")  # noqa: S608 (a fixed list of names)
            counts[view] = cursor.fetchone()[0]

    assert counts["metric_values"] == 1


def test_the_role_cannot_read_the_users_table_nor_any_of_the_public_schema(as_role):
    assert fails(as_role, "SELECT username, password FROM accounts_user") == "42501"  # insufficient_privilege
    with as_role.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p') "
            "AND has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')"
        )
        assert cursor.fetchall() == []


def test_the_role_may_only_select_the_views_and_writes_nothing(as_role):
    with as_role.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, has_table_privilege(c.oid, 'SELECT'), "
            "has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE') "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'analytics'"
        )
        privileges = cursor.fetchall()

    assert privileges
    assert all(can_select and not can_write for _, can_select, can_write in privileges), privileges
    # 42501: insufficient privilege; 25006: read-only transaction (the role's default).
    for sql in [
        "INSERT INTO accounts_user (username) VALUES ('intruder')",
        "UPDATE plans_metricvalue SET value = 0",
        "DELETE FROM tracking_alert",
        "CREATE TABLE analytics.mine (id int)",
        "CREATE TABLE public.mine (id int)",
        "CREATE VIEW analytics.mine AS SELECT 1",
    ]:
        assert fails(as_role, sql) in {"42501", "25006"}, sql


def test_the_views_stay_readable_after_a_migrate_recreates_them_and_the_command_runs_again(as_role, role):
    from analytics.schema import create_views

    create_views(connection)
    call_command("create_analytics_role", name=role, password="second")

    with as_role.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM analytics.tasks")
        assert cursor.fetchone()[0] == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = %s", [role])
        assert cursor.fetchone() == (True, False)


@pytest.mark.django_db(transaction=False)
def test_the_command_refuses_a_superuser_or_an_odd_name():
    with pytest.raises(CommandError, match="superuser"):
        call_command("create_analytics_role", name="postgres", password="x")
    with pytest.raises(CommandError, match="--name"):
        call_command("create_analytics_role", name='bad"; drop', password="x")
