"""Database constraints the project needs on every database it runs on.

UniqueNullsNotDistinct is a unique constraint over fields some of which may be NULL, where two
NULLs count as the same value (a metric value "for no channel" exists once per day, not once
per insert). PostgreSQL 15 says so natively (``UNIQUE NULLS NOT DISTINCT``); SQLite (the
zero-setup default) has no such clause, and Django would silently create nothing there, so
this constraint creates a unique index on the same columns with each nullable one read
through ``COALESCE(column, 0)`` instead: the same rule, enforced by the database on both.
Upserts name the arbiter with ``conflict_target()``, which spells the index's columns as
each database needs them. Ids start at 1, so 0 stands for NULL without clashing with a row.
"""

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce


class UniqueNullsNotDistinct(models.UniqueConstraint):
    def __init__(self, *, fields, name, **kwargs):
        kwargs["nulls_distinct"] = False
        super().__init__(fields=fields, name=name, **kwargs)

    def _native(self, connection) -> bool:
        return connection.features.supports_nulls_distinct_unique_constraints

    def _coalesced(self, model) -> models.UniqueConstraint:
        """The same rule for a database without NULLS NOT DISTINCT: a unique index on
        expressions, each nullable column as COALESCE(column, 0)."""
        expressions = []
        for name in self.fields:
            field = model._meta.get_field(name)
            if field.null:
                if not isinstance(field, models.ForeignKey | models.IntegerField):
                    raise TypeError(f"{name}: only integer and foreign key columns can be read as COALESCE(…, 0).")
                expressions.append(Coalesce(F(name), Value(0)))
            else:
                expressions.append(F(name))
        return models.UniqueConstraint(*expressions, name=self.name)

    def conflict_target(self, model, connection) -> str:
        """The columns of ``ON CONFLICT (…)`` that name this constraint's index as arbiter."""
        quote = connection.ops.quote_name
        columns = []
        for name in self.fields:
            field = model._meta.get_field(name)
            column = quote(field.column)
            columns.append(f"COALESCE({column}, 0)" if field.null and not self._native(connection) else column)
        return ", ".join(columns)

    def constraint_sql(self, model, schema_editor):
        if self._native(schema_editor.connection):
            return super().constraint_sql(model, schema_editor)
        return self._coalesced(model).constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if self._native(schema_editor.connection):
            return super().create_sql(model, schema_editor)
        return self._coalesced(model).create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if self._native(schema_editor.connection):
            return super().remove_sql(model, schema_editor)
        return self._coalesced(model).remove_sql(model, schema_editor)

    def _check(self, model, connection):
        # Django warns (models.W047) that no constraint is created where NULLS NOT DISTINCT is
        # missing; this one creates the COALESCE index there instead.
        return [error for error in super()._check(model, connection) if error.id != "models.W047"]
