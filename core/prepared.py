"""Statements compiled once and run again with new parameters.

Django compiles a queryset into SQL on every evaluation. For a long statement on a hot page
that costs more than running it: My tasks' one statement (groups, window functions, the
latest note) took about 6 ms of CPU to compile and 1 ms to run (bench/journey_load.py). A
`CompiledQuery` builds its queryset once per database, with stand-in values for what varies
(a person's id, today's date…), keeps the SQL and the position of each stand-in among its
parameters, and then runs that SQL with the real values put in their place, converting the
rows as Django would (dates read back from SQLite, for instance).
"""

from collections.abc import Callable
from datetime import date, datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet


def _adapters(connection, value) -> list[Callable]:
    """How a value of this kind may appear among a compiled statement's parameters."""
    ops = connection.ops
    if isinstance(value, datetime):
        return [lambda v: v, ops.adapt_datetimefield_value]
    if isinstance(value, date):
        return [lambda v: v, ops.adapt_datefield_value]
    return [lambda v: v]


def _key(value):
    try:
        return (type(value), value, hash(value))
    except TypeError:  # a list or a dict among the parameters is never a stand-in
        return None


class CompiledQuery:
    """`build(**stand_ins)` returns a `values_list()` queryset; `rows(**values)` runs its SQL,
    compiled once per database alias, with `values` in place of the stand-ins, and returns its
    rows as tuples in the order of the `values_list()` fields.

    Each stand-in must be a value that cannot occur otherwise in the statement (an id or a date
    nobody would use); compiling fails if one of them is missing from the parameters, so a
    stand-in that the queryset turned into something else is found at once, not as wrong rows."""

    def __init__(self, build: Callable[..., QuerySet], **stand_ins):
        self._build = build
        self._stand_ins = stand_ins
        self._compiled: dict[str, tuple] = {}

    def _compile(self, using: str) -> tuple:
        compiled = self._compiled.get(using)
        if compiled is not None:
            return compiled
        connection = connections[using]
        compiler = self._build(**self._stand_ins).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        forms = {}
        for name, value in self._stand_ins.items():
            for adapt in _adapters(connection, value):
                forms[_key(adapt(value))] = (name, adapt)
        slots = tuple(forms.get(_key(param)) for param in params)
        missing = set(self._stand_ins) - {slot[0] for slot in slots if slot}
        if missing:
            raise ImproperlyConfigured(f"stand-ins not found among the compiled parameters: {sorted(missing)}")
        columns = compiler.col_count
        fields = [selected[0] for selected in compiler.select[:columns]]
        converters = compiler.get_converters(fields)
        compiled = (sql, tuple(params), slots, columns, converters)
        self._compiled[using] = compiled
        return compiled

    def rows(self, *, using: str = "default", **values) -> list[tuple]:
        if set(values) != set(self._stand_ins):
            raise TypeError(f"expected values for {sorted(self._stand_ins)}, got {sorted(values)}")
        sql, params, slots, columns, converters = self._compile(using)
        actual = [
            param if slot is None else slot[1](values[slot[0]]) for param, slot in zip(params, slots, strict=True)
        ]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, actual)
            rows = [row[:columns] for row in cursor.fetchall()]
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters.items():
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted
