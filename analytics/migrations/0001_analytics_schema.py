"""The analytics schema (PostgreSQL only; nothing on SQLite). Its views are created after every
migrate from analytics/sql/views.sql (analytics.schema, AnalyticsConfig)."""

from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that does nothing on another database (SQLite in development)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    initial = True
    # No dependency: the schema is empty here; its views come after the whole migrate.
    dependencies = []

    operations = [
        PostgreSQLOnly(
            sql="CREATE SCHEMA IF NOT EXISTS analytics; "
            "COMMENT ON SCHEMA analytics IS 'Read-only views for BI tools; see docs/bi.md.'",
            reverse_sql="DROP SCHEMA IF EXISTS analytics CASCADE",
        ),
    ]
