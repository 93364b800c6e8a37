"""How fast a 100,000-row metric value file imports, against the floor of a bare COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench .venv/bin/python bench/import_metric_values.py

Creates the database if it is missing and migrates it. Generates a CSV of 100,000 values
(5 metrics x 10 channels x 2,000 days, one campaign) and measures, median of 3 runs each:

- the floor: PostgreSQL's COPY ... FROM STDIN of that file into a temporary table with
  matching date / text / numeric columns (no parsing in Python, no indexes, no checks);
- the table floor: COPY of the finished rows (natural key and ids computed) straight into
  plans_metricvalue with its indexes and foreign key checks, rolled back: what storing the
  rows costs, whatever computes them;
- plans.imports.import_metric_values on the same file (read, validate every row, record all
  or nothing): a first run into an empty campaign (all created) and a second run of the
  same file (all updated), with the ratio to the floor (goal: within 5x);
- for comparison, the same import forced through services.metric_values_record
  (bulk_create with update_conflicts), and the reading and validation alone.
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


def line(label: str, seconds: float, rows: int, floor: float | None) -> str:
    ratio = f"{seconds / floor:5.1f}x floor" if floor else ""
    return f"  {label:<50} {seconds:7.3f} s {rows / seconds:>11,.0f} rows/s  {ratio}".rstrip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-orm", action="store_true", help="skip the comparison with the ORM path")
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
    from plans.models import AnnualPlan, Campaign, CampaignType, MetricValue, metric_value_key

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    user, _ = User.objects.get_or_create(username="bench", defaults={"name": "Benchmark"})
    plan, _ = AnnualPlan.objects.get_or_create(title="Benchmark", defaults={"year": today.year, "owner": user})

    def clean() -> None:
        # The benchmark's campaigns stay (a few rows); their 100,000 values each go.
        MetricValue.objects.filter(plan=plan).delete()
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {MetricValue._meta.db_table}")

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

        # What storing these rows costs in the real table, whatever computes them: COPY of the
        # finished rows into plans_metricvalue itself (its indexes, its deferred foreign key
        # checks forced), rolled back.
        campaign = new_campaign("table floor")
        now = timezone.now().isoformat()
        prepared = "".join(
            "\t".join(
                [
                    metric_value_key(
                        metric_id=row.metric.pk,
                        plan_id=plan.pk,
                        campaign_id=campaign.pk,
                        channel_id=row.channel.pk if row.channel else None,
                        date=row.date,
                    ),
                    str(row.metric.pk),
                    str(plan.pk),
                    str(campaign.pk),
                    str(row.channel.pk) if row.channel else "\\N",
                    row.date.isoformat(),
                    str(row.value),
                    "import",
                    str(user.pk),
                    now,
                ]
            )
            + "\n"
            for row in good
        )
        table_times: list[float] = []
        for _ in range(args.runs):
            with transaction.atomic(), connection.cursor() as cursor:
                with timer(table_times):
                    cursor.copy_expert(
                        f"COPY {MetricValue._meta.db_table} (natural_key, metric_id, plan_id, campaign_id, "
                        "channel_id, date, value, source, recorded_by_id, recorded_at) FROM STDIN",
                        io.StringIO(prepared),
                    )
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                transaction.set_rollback(True)
        clean()

        def measure(label: str) -> tuple[list[float], list[float]]:
            creates, updates = [], []
            for run in range(args.runs):
                campaign = new_campaign(f"{label} {run}")
                with timer(creates):
                    run_import(campaign, path)
                with timer(updates):
                    run_import(campaign, path)
                assert MetricValue.objects.filter(campaign=campaign).count() == rows
                clean()
            return creates, updates

        creates, updates = measure("import")
        if not args.no_orm:
            with mock.patch.object(services, "_use_copy", return_value=False):
                orm_creates, orm_updates = measure("orm")

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    floor = statistics.median(floor_times)
    print(
        f"import_metric_values: {rows:,} rows ({size / 1e6:.1f} MB CSV), median of {args.runs} runs, "
        f"PostgreSQL {version}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    print(line("floor: COPY FROM STDIN into a temp table", floor, rows, None))
    print(line("table floor: COPY into plans_metricvalue itself", statistics.median(table_times), rows, floor))
    print(line("read + validate only (no writes)", statistics.median(validate_times), rows, floor))
    print(line("import, first run (all created)", statistics.median(creates), rows, floor))
    print(line("import, second run (all updated)", statistics.median(updates), rows, floor))
    if not args.no_orm:
        print(line("ORM path (metric_values_record), created", statistics.median(orm_creates), rows, floor))
        print(line("ORM path (metric_values_record), updated", statistics.median(orm_updates), rows, floor))


if __name__ == "__main__":
    main()
