"""Create or update the read-only database role a BI tool connects with: it reads the views of
the analytics schema and nothing else (PostgreSQL only)."""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from analytics.schema import SCHEMA, create_views, grant_reader, supported, view_names

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class Command(BaseCommand):
    help = (
        "Create or update a read-only PostgreSQL role that may only read the analytics schema's "
        "views (USAGE on the schema, SELECT on its views), e.g. "
        "`create_analytics_role --name bi_reader --password …`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The role's name (lower case letters, digits, _).")
        parser.add_argument(
            "--password",
            default=None,
            help="Its login password; without one an existing role keeps its own, a new one cannot log in by password.",
        )

    def handle(self, *args, name: str, password: str | None, **options):
        if not supported(connection):
            raise CommandError("The analytics schema needs PostgreSQL (DATABASE_URL=postgres://…).")
        if not ROLE_NAME.match(name):
            raise CommandError(f"--name {name!r}: use lower case letters, digits and _, starting with a letter.")
        from psycopg2 import sql

        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [name])
            row = cursor.fetchone()
            if row is not None and row[0]:
                raise CommandError(f"--name {name}: that role is a superuser; choose another name.")
            verb = "ALTER" if row else "CREATE"
            options_sql = sql.SQL("LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS")
            if password:
                options_sql = sql.SQL("{} PASSWORD {}").format(options_sql, sql.Literal(password))
            cursor.execute(sql.SQL(verb + " ROLE {} WITH {}").format(sql.Identifier(name), options_sql))
            if not view_names(connection):
                create_views(connection)
            grant_reader(connection, role=name)
        action = "Updated" if row else "Created"
        views = ", ".join(f"{SCHEMA}.{view}" for view in view_names(connection))
        self.stdout.write(self.style.SUCCESS(f"{action} the read-only role {name}; it reads {views}."))
