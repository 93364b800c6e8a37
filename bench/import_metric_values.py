"""How fast a 100,000-row metric value file imports, against the floor of a bare COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench .venv/bin/python bench/import_metric_values.py

Creates the database if it is missing and migrates it. Generates a CSV of 100,000 values
(5 metrics x 10 channels x 2,000 days, one campaign) and measures, median of 3 runs each:

- the floor: PostgreSQL's COPY ... FROM STDIN of that file into a temporary table with
  matching date / text / numeric columns (no parsing in Python, no indexes, no checks);
- the rules' floor: COPY of the finished rows (ids computed) into a table of
  plans_metricvalue's columns that keeps only the rules the database must keep, its foreign
  keys (checked) and the unique key, and no other index; rolled back;
- the table floor: the same COPY into plans_metricvalue itself (those rules, its primary
  key and its other indexes), rolled back: what storing the rows costs, whatever computes
  them;
- plans.imports.import_metric_values on the same file (read, validate every row, record all
  or nothing): a first run into an empty campaign (all created) and a second run of the
  same file (all updated), with the ratio to the floor (goal: within 5x, or within 1.2x of
  the table floor when the rules make 5x impossible), and where its time goes: reading and
  checking, making and sending the COPY, the upsert statement;
- for comparison, the same import forced through the portable path of
  services.metric_values_record (batches of INSERT … ON CONFLICT, what SQLite runs), and
  the reading and validation alone.
"""

import argparse
import csv
import io
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock

from common import ensure_database  # bench/common.py (scripts run from bench/)

ROOT = Path(__file__).resolve().parent.parent
# Typed metrics only: conversion rate is derived (orders / visitors); CTR is a typed rate.
METRICS = ["units_sold", "sales_revenue", "ctr", "marketing_cost", "new_members"]
CHANNELS = [
    "",
    "ecommerce",
    "social",
    "short_video",
    "private_domain",
    "search_ads",
    "exhibitions",
    "field_promotion",
    "distributors",
    "stores",
]
DAYS = 2_000  # 5 metrics x 10 channels x 2,000 days = 100,000 rows


def write_csv(path: Path, today) -> int:
    rng = random.Random(2026)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["date", "metric", "channel", "value"])
        for offset in range(DAYS, 0, -1):
            day = (today - timedelta(days=offset)).isoformat()
            for metric in METRICS:
                for channel in CHANNELS:
                    if metric in ("units_sold", "new_members"):
                        value = str(rng.randint(0, 5_000))
                    elif metric == "ctr":
                        value = f"{rng.uniform(0, 12):.2f}"
                    else:
                        value = f"{rng.uniform(0, 200_000):.2f}"
                    writer.writerow([day, metric, channel, value])
                    rows += 1
    return rows


@contextmanager
def timer(times: list):
    start = time.perf_counter()
    yield
    times.append(time.perf_counter() - start)


def line(label: str, seconds: float, rows: int, floor: float | None, table: float | None = None) -> str:
    ratio = f"{seconds / floor:5.1f}x floor" if floor else ""
    if table:
        ratio += f"  {seconds / table:4.2f}x table floor"
    return f"  {label:<52} {seconds:7.3f} s {rows / seconds:>11,.0f} rows/s  {ratio}".rstrip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-orm", action="store_true", help="skip the comparison with the portable path")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/tracker_bench")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "false")  # DEBUG keeps every query's SQL: not what production runs
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from plans import imports, services
    from plans.models import METRIC_VALUE_KEY, AnnualPlan, Campaign, CampaignType, MetricValue

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    user, _ = User.objects.get_or_create(username="bench", defaults={"name": "Benchmark"})
    plan, _ = AnnualPlan.objects.get_or_create(title="Benchmark", defaults={"year": today.year, "owner": user})
    table = MetricValue._meta.db_table

    def clean() -> None:
        # The benchmark's campaigns stay (a few rows); their 100,000 values each go.
        MetricValue.objects.filter(plan=plan).delete()
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")

    def new_campaign(label: str) -> Campaign:
        return Campaign.objects.create(
            plan=plan,
            name=f"Benchmark {label}",
            type=CampaignType.MAJOR_PROMOTION,
            owner=user,
            start_date=today - timedelta(days=DAYS),
            end_date=today,
        )

    def run_import(campaign: Campaign, path: Path) -> None:
        with path.open("rb") as file:
            result = imports.import_metric_values(file=file, campaign=campaign, user=user)
        assert result.ok, result.errors[:5]

    clean()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "metric-values.csv"
        rows = write_csv(path, today)
        size = path.stat().st_size

        floor_times: list[float] = []
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE bench_copy_floor (date date, metric text, channel text, value numeric(18, 4))"
            )
            for _ in range(args.runs):
                cursor.execute("TRUNCATE bench_copy_floor")
                with timer(floor_times), path.open("rb") as file:
                    cursor.copy_expert("COPY bench_copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)", file)
            cursor.execute("SELECT count(*) FROM bench_copy_floor")
            assert cursor.fetchone()[0] == rows
            cursor.execute("DROP TABLE bench_copy_floor")

        validate_times: list[float] = []
        for _ in range(args.runs):
            with timer(validate_times), path.open("rb") as file:
                good, errors = imports._validate(
                    imports._read_table(file), dictionary=imports._Dictionary(), today=today
                )
            assert not errors, errors[:5]
            assert len(good) == rows

        # What storing these rows costs, whatever computes them: COPY of the finished rows
        # (their deferred foreign key checks forced), rolled back; into a table that keeps only
        # the rules (foreign keys, the unique key), then into plans_metricvalue itself.
        campaign = new_campaign("table floor")
        now = timezone.now().isoformat()
        null = "\\N"
        prepared = "".join(
            f"{campaign.pk}\t{metric.pk}\t{day}\t{channel.pk if channel else null}\t{plan.pk}\t{value}"
            f"\timport\t{user.pk}\t{now}\n"
            for _number, metric, channel, day, value in good
        )
        columns = "campaign_id, metric_id, date, channel_id, plan_id, value, source, recorded_by_id, recorded_at"
        key = ", ".join(MetricValue._meta.get_field(name).column for name in METRIC_VALUE_KEY)
        rules_times: list[float] = []
        for _ in range(args.runs):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TABLE bench_rules_floor (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY, "
                    f"UNIQUE NULLS NOT DISTINCT ({key}))"
                )
                for column, target in (
                    ("metric_id", "plans_metric"),
                    ("plan_id", "plans_annualplan"),
                    ("campaign_id", "plans_campaign"),
                    ("channel_id", "plans_channel"),
                    ("recorded_by_id", User._meta.db_table),
                ):
                    cursor.execute(
                        f"ALTER TABLE bench_rules_floor ADD FOREIGN KEY ({column}) REFERENCES {target} (id) "
                        "DEFERRABLE INITIALLY DEFERRED"
                    )
                with timer(rules_times):
                    cursor.copy_expert(f"COPY bench_rules_floor ({columns}) FROM STDIN", io.StringIO(prepared))
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                transaction.set_rollback(True)
        table_times: list[float] = []
        for _ in range(args.runs):
            with transaction.atomic(), connection.cursor() as cursor:
                with timer(table_times):
                    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(prepared))
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                transaction.set_rollback(True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname", [table])
            indexes = [row[0].split(" USING ")[1] for row in cursor.fetchall()]
        clean()

        # Where an import's time goes: reading and checking (imports._validate, which reads
        # the file as it goes), the statements of the write (timed by an execute wrapper),
        # and the rest of the write (making the COPY's text and sending it).
        stages = {"read + check": [], "COPY text + send": [], "upsert statement": [], "other": []}

        spent = {"validate": 0.0, "store": 0.0, "upsert": 0.0, "statements": 0.0}

        def measure(label: str, *, split: bool = False) -> tuple[list[float], list[float]]:
            creates, updates = [], []
            for run in range(args.runs):
                campaign = new_campaign(f"{label} {run}")
                with timer(creates):
                    run_import(campaign, path)
                spent.update(dict.fromkeys(spent, 0.0))
                validate, store = imports._validate, services._store

                def timed(name, function):
                    def call(*args, **kwargs):
                        start = time.perf_counter()
                        try:
                            return function(*args, **kwargs)
                        finally:
                            spent[name] += time.perf_counter() - start

                    return call

                def statement(execute, sql, params, many, context):
                    start = time.perf_counter()
                    try:
                        return execute(sql, params, many, context)
                    finally:
                        took = time.perf_counter() - start
                        spent["statements"] += took
                        if "ON CONFLICT" in sql:
                            spent["upsert"] += took

                with (
                    timer(updates),
                    mock.patch.object(imports, "_validate", timed("validate", validate)),
                    mock.patch.object(services, "_store", timed("store", store)),
                    connection.execute_wrapper(statement),
                ):
                    run_import(campaign, path)
                if split:
                    stages["read + check"].append(spent["validate"])
                    stages["COPY text + send"].append(spent["store"] - spent["statements"])
                    stages["upsert statement"].append(spent["upsert"])
                    stages["other"].append(
                        updates[-1] - spent["validate"] - spent["store"] + spent["statements"] - spent["upsert"]
                    )
                assert MetricValue.objects.filter(campaign=campaign).count() == rows
                clean()
            return creates, updates

        creates, updates = measure("import", split=True)
        if not args.no_orm:
            with mock.patch.object(services, "_use_copy", return_value=False):
                orm_creates, orm_updates = measure("portable")

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    floor = statistics.median(floor_times)
    table_floor = statistics.median(table_times)
    print(
        f"import_metric_values: {rows:,} rows ({size / 1e6:.1f} MB CSV), median of {args.runs} runs, "
        f"PostgreSQL {version}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    print(f"  {table}: {len(indexes)} indexes: " + "; ".join(indexes))
    print(line("floor: COPY FROM STDIN into a temp table", floor, rows, None))
    print(line("rules' floor: COPY into a table of FKs + unique key only", statistics.median(rules_times), rows, floor))
    print(line("table floor: COPY into plans_metricvalue itself", table_floor, rows, floor))
    print(line("read + validate only (no writes)", statistics.median(validate_times), rows, floor))
    print(line("import, first run (all created)", statistics.median(creates), rows, floor, table_floor))
    print(line("import, second run (all updated)", statistics.median(updates), rows, floor, table_floor))
    for stage, times in stages.items():
        print(line(f"  second run: {stage}", statistics.median(times), rows, floor))
    if not args.no_orm:
        print(line("portable path (INSERT … ON CONFLICT), created", statistics.median(orm_creates), rows, floor))
        print(line("portable path (INSERT … ON CONFLICT), updated", statistics.median(orm_updates), rows, floor))
    print(f"  load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
