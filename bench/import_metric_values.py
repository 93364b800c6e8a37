"""How fast a 100,000-row metric value file imports, against the floor of a bare COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench .venv/bin/python bench/import_metric_values.py

Creates the database if it is missing and migrates it. Generates a CSV of 100,000 values
(5 metrics x 10 channels x 2,000 days, one campaign) and measures, median of 3 runs each,
the wall time and the CPU time spent by this process (client) and by its PostgreSQL backend
(server, from /proc): on a machine shared with other work the wall time varies with the
load, the CPU times much less:

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
  checking (the request's thread), writing (the writer thread: the check for stored values,
  then each chunk's COPY straight into the table or into a staging table and its upsert);
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
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
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


@dataclass
class Sample:
    wall: float
    client: float  # CPU seconds of this process, every thread
    server: float  # CPU seconds of the PostgreSQL backend serving it


class Clock:
    """Wall and CPU time of a block, the server's read from /proc/<backend pid>/stat."""

    def __init__(self, backend_pid: int):
        self.stat = Path(f"/proc/{backend_pid}/stat")
        self.tick = os.sysconf("SC_CLK_TCK")

    def server(self) -> float:
        fields = self.stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime

    @contextmanager
    def timer(self, samples: list):
        wall, client, server = time.perf_counter(), time.process_time(), self.server()
        yield
        samples.append(Sample(time.perf_counter() - wall, time.process_time() - client, self.server() - server))


def median(samples: list[Sample]) -> Sample:
    return Sample(*(statistics.median(getattr(s, name) for s in samples) for name in ("wall", "client", "server")))


def line(label: str, sample: Sample, rows: int, floor: Sample | None, table: Sample | None = None) -> str:
    ratio = f"{sample.wall / floor.wall:5.1f}x floor" if floor else ""
    if table:
        cpu, table_cpu = sample.server + sample.client, table.server + table.client
        ratio += f"  {sample.wall / table.wall:4.2f}x table floor (CPU {cpu / table_cpu:4.2f}x)"
    cpu = f"CPU client {sample.client:6.3f} s server {sample.server:6.3f} s"
    return f"  {label:<50} {sample.wall:7.3f} s {rows / sample.wall:>9,.0f} rows/s  {cpu}  {ratio}".rstrip()


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

    load_before = os.getloadavg()[0]
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    user, _ = User.objects.get_or_create(username="bench", defaults={"name": "Benchmark"})
    plan, _ = AnnualPlan.objects.get_or_create(title="Benchmark", defaults={"year": today.year, "owner": user})
    table = MetricValue._meta.db_table

    def clean() -> None:
        # The benchmark's campaigns stay (a few rows); their 100,000 values each go, by SQL (the
        # ORM would record each deletion for the BI sync, core.sync).
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE plan_id = %s", [plan.pk])
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

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            clock = Clock(cursor.fetchone()[0])
        timer = clock.timer

        floor_times: list[Sample] = []
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

        validate_times: list[Sample] = []
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
        rules_times: list[Sample] = []
        table_times: list[Sample] = []

        def table_floor_run(samples: list[Sample]) -> None:
            # On a vacuumed table: a rolled-back COPY leaves its index entries behind until
            # VACUUM, and the next COPY of the same keys would step over them.
            clean()
            with transaction.atomic(), connection.cursor() as cursor:
                with timer(samples):
                    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(prepared))
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                transaction.set_rollback(True)
            clean()

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
            table_floor_run(table_times)
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname", [table])
            indexes = [row[0].split(" USING ")[1] for row in cursor.fetchall()]
        clean()

        # Where a first import's time goes: checking (imports._validate, in the request's
        # thread, which reads the file as it goes and hands chunks of good rows on) and
        # writing (services._store, in the writer thread), which run at the same time; of the
        # writing, the look for stored values and each chunk's COPY straight into the table
        # or into a staging table and upsert (with the count of chunks each took).
        stages: dict[str, list[float]] = {
            "check (request thread)": [],
            "write (writer thread)": [],
            "look for stored values": [],
            "COPY straight into the table": [],
            "staging COPY + upsert": [],
        }
        parts = {
            "validate": (imports, "_validate", "check (request thread)"),
            "store": (services, "_store", "write (writer thread)"),
            "stored": (services, "_any_stored", "look for stored values"),
            "direct": (services, "_copy_into_table", "COPY straight into the table"),
            "staging": (services, "_upsert_from_staging", "staging COPY + upsert"),
        }
        spent = dict.fromkeys(parts, 0.0)
        calls = dict.fromkeys(parts, 0)
        chunks: dict[str, list[int]] = {"direct": [], "staging": []}

        def timed(name, function):
            def call(*args, **kwargs):
                start = time.perf_counter()
                result = None
                try:
                    result = function(*args, **kwargs)
                    return result
                finally:
                    spent[name] += time.perf_counter() - start
                    calls[name] += result is not False  # a COPY that found a key stored after all

            return call

        # With the load of a shared machine the wall time of runs a minute apart differs more
        # than the import and the floor do: each first run is also compared with a table floor
        # run made just before it.
        paired: list[float] = []

        def measure(label: str, *, split: bool = False) -> tuple[list[Sample], list[Sample]]:
            creates, updates = [], []
            for run in range(args.runs):
                campaign = new_campaign(f"{label} {run}")
                if split:
                    beside: list[Sample] = []
                    table_floor_run(beside)
                spent.update(dict.fromkeys(spent, 0.0))
                calls.update(dict.fromkeys(calls, 0))
                with ExitStack() as stack:
                    if split:
                        for name, (module, attribute, _stage) in parts.items():
                            if (function := getattr(module, attribute, None)) is not None:  # older code: not all
                                stack.enter_context(mock.patch.object(module, attribute, timed(name, function)))
                    with timer(creates):
                        run_import(campaign, path)
                if split:
                    paired.append(creates[-1].wall / beside[0].wall)
                    for name, (_module, _attribute, stage) in parts.items():
                        stages[stage].append(spent[name])
                    chunks["direct"].append(calls["direct"])
                    chunks["staging"].append(calls["staging"])
                with timer(updates):
                    run_import(campaign, path)
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
    floor = median(floor_times)
    table_floor = median(table_times)
    print(
        f"import_metric_values: {rows:,} rows ({size / 1e6:.1f} MB CSV), median of {args.runs} runs, "
        f"PostgreSQL {version}, {os.cpu_count()} CPUs, load before {load_before:.1f}"
    )
    print(f"  {table}: {len(indexes)} indexes: " + "; ".join(indexes))
    print(line("floor: COPY FROM STDIN into a temp table", floor, rows, None))
    print(line("rules' floor: COPY into a table of FKs + unique key", median(rules_times), rows, floor))
    print(line("table floor: COPY into plans_metricvalue itself", table_floor, rows, floor))
    print(line("read + validate only (no writes)", median(validate_times), rows, floor))
    print(line("import, first run (all created)", median(creates), rows, floor, table_floor))
    print(line("import, second run (all updated)", median(updates), rows, floor, table_floor))
    counts = {
        "COPY straight into the table": chunks["direct"],
        "staging COPY + upsert": chunks["staging"],
    }
    print(
        "    first run / table floor run just before it  "
        + " ".join(f"{ratio:.2f}x" for ratio in paired)
        + f"  (median {statistics.median(paired):.2f}x)"
    )
    for stage, times in stages.items():
        taken = f"  {statistics.median(counts[stage]):.0f} chunks" if stage in counts else ""
        print(f"    first run, {stage:<30} {statistics.median(times):7.3f} s{taken}")
    if not args.no_orm:
        print(line("portable path (INSERT … ON CONFLICT), created", median(orm_creates), rows, floor))
        print(line("portable path (INSERT … ON CONFLICT), updated", median(orm_updates), rows, floor))
    print(f"  load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
