"""GIN indexes over the segmented text of lessons and reviews, on PostgreSQL only: the
knowledge base's search (reviews.search) matches `to_tsvector('simple', search_text)`, the
very expression these indexes hold, so the planner uses them; PostgreSQL keeps them up to
date whenever a lesson's or review's text changes. SQLite searches without an index."""

from django.db import migrations

INDEXES = [
    ("lesson_search_idx", "reviews_lesson"),
    ("review_search_idx", "reviews_review"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (to_tsvector('simple'::regconfig, search_text))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_reviews_lessons_actions")]

    operations = [migrations.RunPython(create, drop)]
