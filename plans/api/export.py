"""The metric values' CSV export on PostgreSQL by ``COPY … TO STDOUT`` (core.api.export).

The table that grows to millions of rows is exported without Python touching each row: the
filtered queryset of the list (who may read, the list's filters) becomes the inner SELECT of
a COPY, a chunk of rows at a time by id. Its cells are exactly the ones MetricValueSerializer
writes (tests/plans/test_export_metric_values.py compares them): the metric's and channel's
codes, ids, the value with its four decimals, the time of recording in the site's time zone
as ISO 8601 (``Z`` for UTC, no fraction when it is zero), and codes a spreadsheet could run as
a formula prefixed with an apostrophe as core.formulas.csv_text does.
"""

from collections.abc import Iterator

from django.db import connection
from django.db.models import F, Max, Min
from django.utils import timezone

from core.api.export import copy_chunks

HEADER = ["id", "metric", "plan", "campaign", "channel", "date", "value", "source", "recorded_by", "recorded_at"]

# core.formulas.looks_like_formula for a code (letters, digits, - and _: no white space); the
# cheap test of the first character first, as a million rows run it twice each.
FORMULA_CODE = (
    "CASE WHEN left({column}, 1) IN ('-', '=', '+', '@') THEN "
    "CASE WHEN {column} ~ '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$' THEN {column} "
    "ELSE '''' || {column} END ELSE {column} END"
)
# The time as DRF writes it, in the session's time zone (the site's, for the COPY): no fraction
# when it is zero, Z for UTC.
ISO_TIME = (
    "replace(replace(to_char(x_recorded_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.USTZH:TZM'), '.000000', ''), '+00:00', 'Z')"
)
# Rows per COPY statement at least: a few MB of CSV held at once, a statement's cost spread.
COPY_CHUNK_ROWS = 25_000


def metric_values_copy(queryset, size: int) -> Iterator[bytes]:
    """The CSV of the metric values of ``queryset``, streamed by COPY, ``size`` ids a statement
    (at least COPY_CHUNK_ROWS): at most that many rows each."""
    size = max(size, COPY_CHUNK_ROWS)
    rows = queryset.order_by("pk").values(
        x_id=F("id"),
        x_metric=F("metric__code"),
        x_plan=F("plan_id"),
        x_campaign=F("campaign_id"),
        x_channel=F("channel__code"),
        x_date=F("date"),
        x_value=F("value"),
        x_source=F("source"),
        x_recorded_by=F("recorded_by_id"),
        x_recorded_at=F("recorded_at"),
    )
    columns = ", ".join(
        [
            "x_id",
            FORMULA_CODE.format(column="x_metric"),
            "x_plan",
            "x_campaign",
            FORMULA_CODE.format(column="x_channel"),
            "x_date",
            "x_value",
            "x_source",
            "x_recorded_by",
            ISO_TIME,
        ]
    )

    def sql_for(low: int, high: int) -> str:
        sql, params = rows.filter(pk__gte=low, pk__lt=high).query.sql_with_params()
        with connection.cursor() as cursor:
            inner = cursor.mogrify(sql, params).decode()
        # The inner query is the ORM's, its parameters quoted by the driver (mogrify).
        return f"COPY (SELECT {columns} FROM ({inner}) AS x) TO STDOUT WITH (FORMAT csv)"  # noqa: S608

    bounds = queryset.aggregate(low=Min("pk"), high=Max("pk"))
    return copy_chunks(
        sql_for,
        None if bounds["low"] is None else (bounds["low"], bounds["high"]),
        HEADER,
        size,
        time_zone=timezone.get_current_timezone_name(),
    )
