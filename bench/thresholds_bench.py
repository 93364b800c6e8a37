"""How fast the threshold check is: 2,000 thresholds over 1,000,000 metric values (x --scale).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench_thresholds .venv/bin/python bench/thresholds_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench_10x \
        .venv/bin/python bench/thresholds_bench.py --scale 10

Creates the database if it is missing and migrates it, then (once: later runs reuse them)
200 campaigns of a plan (2,000 at --scale 10), each with a unit-sales goal and an online
sub-goal, five metrics recorded daily on ten channels for 100 days (1,000,000 values;
10,000,000 at --scale 10; loaded with COPY), tasks and a milestone, and ten thresholds per
campaign (2,000; 20,000 at --scale 10): four attainment thresholds (paced and plain, goal and
sub-goal), three value-over-a-window thresholds, a benchmark, a cost threshold and a
tasks-overdue or milestone threshold. Campaigns run at 50-130% of their pace, so about a
third of the thresholds breach. Each scale wants a database of its own.

It times `tracking.evaluation.evaluate_all` (what `manage.py check_thresholds` runs; the beat
job fans the same batches out as jobs) with its query count:

- first check: no alert open yet, so every breach opens an alert with its notifications
  and deliveries (in bulk, per batch);
- steady check: the same data again, the breaches kept (what most beat runs do), median of
  --runs; and the same batches shared by two worker processes (--workers), as two Celery
  workers take the fanned-out batch jobs;
- the floor: ONE hand-written SQL statement computing the same figures (the actual of each
  attainment threshold's target over its period, the windowed aggregate of each value and
  benchmark threshold), median of --runs. The ratio steady check / floor is the overhead of
  everything else: the ORM, the judging, the per-batch queries, the alert bookkeeping.

Then (unless --skip-half) the same with half the values (every other row set aside in a
table of its own, and put back afterwards), to show that the query count does not depend on
the number of values. Goal: the steady check under 10 seconds, its query count growing only
with the number of batches; the first check's with the batches of alerts opened.
"""

import argparse
import io
import multiprocessing
import os
import random
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from common import ensure_database  # bench/common.py (scripts run from bench/)

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGNS_PER_SCALE = 200
DAYS = 100
CHANNELS = 10
# Conversion rate is derived (orders / visitors): its thresholds read those two.
METRICS = ["units_sold", "marketing_cost", "orders", "visitors", "new_members", "exposure"]
# A day's value on one channel, before the campaign's factor and the day's noise.
BASE = {
    "units_sold": 100,
    "marketing_cost": 800,
    "orders": 26,
    "visitors": 1000,
    "new_members": 30,
    "exposure": 5000,
}
PLAN_TITLE = "Benchmark thresholds"


def seconds(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _connect(_worker: int) -> None:
    """Open a worker process's own database connection before the clock starts."""
    from django.db import connection

    connection.ensure_connection()


def _check_range(bounds: tuple[int, int | None]) -> dict[str, int]:
    """One batch job's work: the check of one range of thresholds."""
    from tracking.evaluation import evaluate_range

    first_id, last_id = bounds
    return evaluate_range(first_id=first_id, last_id=last_id).counts()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="steady checks and floor runs timed (median; default 3)")
    parser.add_argument(
        "--scale", type=int, default=1, help="200 campaigns (2,000 thresholds, 1,000,000 values) times this (default 1)"
    )
    parser.add_argument(
        "--skip-half",
        action="store_true",
        help="skip the second measure with half the values (at --scale 10 it moves 5,000,000 rows out and back)",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="processes sharing the batches in the last measure (default 2; 1: none)"
    )
    parser.add_argument("--prepare", action="store_true", help="make the data if it is missing, measure nothing")
    args = parser.parse_args()
    CAMPAIGNS = CAMPAIGNS_PER_SCALE * args.scale

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database, "
            "e.g. postgres://postgres@127.0.0.1:5432/tracker_bench_thresholds"
        )
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "false")  # DEBUG keeps every query's SQL: not what production runs
    # Opening an alert queues its e-mails after commit: keep them in memory, not in a broker.
    os.environ["CELERY_BROKER_URL"] = "memory://"
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from plans.models import (
        AnnualPlan,
        Campaign,
        CampaignType,
        Channel,
        Metric,
        MetricValue,
        Target,
        TargetCategory,
    )
    from tasks.models import Milestone, Stage, Task, TaskStatus
    from tracking.evaluation import evaluate_all, threshold_ranges
    from tracking.models import Severity, Threshold, ThresholdKind

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    start = today - timedelta(days=DAYS - 1)

    def data_in_place() -> bool:
        plan = AnnualPlan.objects.filter(title=PLAN_TITLE).first()
        return (
            plan is not None
            and plan.campaigns.filter(start_date=start).count() == CAMPAIGNS
            and Threshold.objects.filter(campaign__plan=plan).count() == CAMPAIGNS * 10
            and MetricValue.objects.filter(plan=plan).count() == CAMPAIGNS * len(METRICS) * CHANNELS * DAYS
        )

    # Data, made once (again on another day: the campaigns run up to today) ---------------------
    if not data_in_place():
        began = time.perf_counter()
        with connection.cursor() as cursor:
            # A database of its own: empty everything the benchmark makes.
            cursor.execute(
                "TRUNCATE plans_annualplan, tracking_alert, notifications_notification, notifications_delivery CASCADE"
            )
        owner, _ = User.objects.get_or_create(
            username="bench-threshold-owner", defaults={"name": "基准 经理", "email": "bench@example.com"}
        )
        metrics = {code: Metric.objects.get(code=code) for code in [*METRICS, "conversion_rate"]}
        channels = list(Channel.objects.exclude(code="offline").order_by("pk")[:CHANNELS])
        ecommerce = next(c for c in channels if c.code == "ecommerce")
        plan = AnnualPlan.objects.create(year=today.year, title=PLAN_TITLE, owner=owner)
        campaigns = Campaign.objects.bulk_create(
            Campaign(
                plan=plan,
                name=f"基准活动 Bench campaign {n:03}",
                type=CampaignType.MAJOR_PROMOTION,
                owner=owner,
                start_date=start,
                end_date=start + timedelta(days=DAYS + 19),
                budget=Decimal("800000"),
                status="executing",
            )
            for n in range(CAMPAIGNS)
        )
        goals = Target.objects.bulk_create(
            Target(
                campaign=c,
                metric=metrics["units_sold"],
                category=TargetCategory.PERFORMANCE,
                target_value=Decimal(BASE["units_sold"] * CHANNELS * (DAYS + 20)),
                period_start=c.start_date,
                period_end=c.end_date,
            )
            for c in campaigns
        )
        subgoals = Target.objects.bulk_create(
            Target(
                campaign=c,
                parent=goal,
                metric=metrics["units_sold"],
                channel=ecommerce,
                category=TargetCategory.PERFORMANCE,
                target_value=Decimal(BASE["units_sold"] * (DAYS + 20)),
                period_start=c.start_date,
                period_end=c.end_date,
            )
            for c, goal in zip(campaigns, goals, strict=True)
        )
        stages = Stage.objects.bulk_create(Stage(campaign=c, name_zh="正式推广", name_en="Launch") for c in campaigns)
        Task.objects.bulk_create(
            Task(
                campaign=c,
                stage=stage,
                name=f"任务 {k}",
                responsible=owner,
                accountable=owner,
                due_date=today - timedelta(days=3) if (n + k) % 7 == 0 else today + timedelta(days=k + 1),
                status=TaskStatus.IN_PROGRESS,
            )
            for n, (c, stage) in enumerate(zip(campaigns, stages, strict=True))
            for k in range(5)
        )
        Milestone.objects.bulk_create(
            Milestone(
                campaign=c, stage=stage, name="上线 Live", due_date=today - timedelta(days=5 if n % 3 == 0 else -5)
            )
            for n, (c, stage) in enumerate(zip(campaigns, stages, strict=True))
        )
        thresholds = []
        for n, (c, goal, subgoal) in enumerate(zip(campaigns, goals, subgoals, strict=True)):
            thresholds += [
                Threshold(kind=ThresholdKind.ATTAINMENT_BELOW, campaign=c, target=goal, percent=80, paced=True),
                Threshold(kind=ThresholdKind.ATTAINMENT_BELOW, campaign=c, target=goal, percent=50, paced=False),
                Threshold(
                    kind=ThresholdKind.ATTAINMENT_BELOW,
                    campaign=c,
                    target=subgoal,
                    percent=80,
                    paced=True,
                    severity=Severity.CRITICAL,
                ),
                Threshold(kind=ThresholdKind.ATTAINMENT_BELOW, campaign=c, target=subgoal, percent=60, paced=False),
                Threshold(
                    kind=ThresholdKind.VALUE_BELOW,
                    campaign=c,
                    metric=metrics["conversion_rate"],
                    bound=Decimal("2.4"),
                    window_days=7,
                ),
                Threshold(
                    kind=ThresholdKind.VALUE_BELOW,
                    campaign=c,
                    metric=metrics["units_sold"],
                    bound=Decimal(BASE["units_sold"] * CHANNELS * 14 * 8 // 10),
                    window_days=14,
                ),
                Threshold(
                    kind=ThresholdKind.VALUE_ABOVE,
                    campaign=c,
                    metric=metrics["marketing_cost"],
                    channel=ecommerce,
                    bound=Decimal(BASE["marketing_cost"] * 7 * 11 // 10),
                    window_days=7,
                ),
                Threshold(
                    kind=ThresholdKind.BENCHMARK_BELOW,
                    campaign=c,
                    metric=metrics["conversion_rate"],
                    channel=ecommerce,
                    percent=20,
                    benchmark_value=Decimal("3.0"),
                    benchmark_source="行业报告",
                    window_days=30,
                ),
                Threshold(kind=ThresholdKind.COST_ABOVE_BUDGET, campaign=c, percent=10),
                Threshold(kind=ThresholdKind.TASKS_OVERDUE, campaign=c)
                if n % 2 == 0
                else Threshold(kind=ThresholdKind.MILESTONE_MISSED, campaign=c),
            ]
        Threshold.objects.bulk_create(thresholds)

        random.seed(20260614)
        factors = [0.5 + 0.8 * random.random() for _ in campaigns]  # 50–130% of pace
        now = timezone.now().isoformat()
        columns = "metric_id, plan_id, campaign_id, channel_id, date, value, source, recorded_by_id, recorded_at"
        total = 0
        table = MetricValue._meta.db_table
        # One transaction: a load cut short leaves the table as it was, indexes and all.
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Ten million rows go in faster without the table's indexes, built once afterwards
                # from their own definitions, and without the foreign keys' per-row checks (the
                # rows refer to what was just made): a load, not what the check measures.
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'u'",
                    [table],
                )
                constraints = cursor.fetchall()
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                    "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                    [table, table],
                )
                indexes = cursor.fetchall()
                for name, _definition in constraints:
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                for name, _definition in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
                cursor.execute("SET LOCAL session_replication_role = replica")
            for n, (c, factor) in enumerate(zip(campaigns, factors, strict=True)):
                if n and n % (CAMPAIGNS // 10) == 0:
                    print(f"  {total:,} metric values copied in {time.perf_counter() - began:.0f} s", flush=True)
                buffer = io.StringIO()
                for code in METRICS:
                    metric = metrics[code]
                    # Visitors follow the campaign's pace; orders a little less (the rate drifts).
                    scale = (1 + (factor - 1) / 3) * factor if code == "orders" else factor
                    for channel in channels:
                        for day_number in range(DAYS):
                            day = start + timedelta(days=day_number)
                            noise = 0.9 + 0.2 * random.random()
                            value = Decimal(BASE[code] * scale * noise).quantize(Decimal("0.01"))
                            buffer.write(
                                f"{metric.pk}\t{plan.pk}\t{c.pk}\t{channel.pk}\t{day.isoformat()}\t{value}\t"
                                f"import\t{owner.pk}\t{now}\n"
                            )
                            total += 1
                buffer.seek(0)
                with connection.cursor() as cursor:
                    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
            with connection.cursor() as cursor:
                print(f"  {total:,} metric values copied; indexing them", flush=True)
                for name, definition in constraints:
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                for _name, definition in indexes:
                    cursor.execute(definition)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"created {CAMPAIGNS} campaigns, {len(thresholds):,} thresholds and {total:,} metric values "
            f"in {time.perf_counter() - began:.0f} s"
        )

    if args.prepare:
        return
    plan = AnnualPlan.objects.get(title=PLAN_TITLE)
    thresholds = Threshold.objects.filter(campaign__plan=plan)

    # The floor: one SQL statement computing the figures the check reads ------------------------
    floor_sql = """
        WITH watched AS (
            SELECT th.id,
                   COALESCE(th.metric_id, t.metric_id) AS metric_id,
                   COALESCE(th.campaign_id, t.campaign_id) AS campaign_id,
                   COALESCE(th.channel_id, t.channel_id) AS channel_id,
                   CASE WHEN th.window_days > 0 THEN %(today)s::date - (th.window_days - 1) ELSE t.period_start END
                       AS first_day,
                   CASE WHEN th.window_days > 0 THEN %(today)s::date ELSE LEAST(t.period_end, %(today)s::date) END
                       AS last_day
            FROM tracking_threshold th
            LEFT JOIN plans_target t ON t.id = th.target_id
            WHERE th.is_active
              AND th.kind IN ('attainment_below', 'value_below', 'value_above', 'benchmark_below')
        )
        SELECT w.id, CASE WHEN m.aggregation = 'sum' THEN SUM(v.value) ELSE AVG(v.value) END
        FROM watched w
        JOIN plans_metric m ON m.id = w.metric_id
        JOIN plans_metricvalue v
          ON v.metric_id = w.metric_id
         AND v.campaign_id = w.campaign_id
         AND v.date BETWEEN w.first_day AND w.last_day
         AND (w.channel_id IS NULL OR v.channel_id = w.channel_id)
        GROUP BY w.id, m.aggregation
    """

    def floor(jit: bool) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL jit = {'on' if jit else 'off'}")
            cursor.execute(floor_sql, {"today": today})
            return len(cursor.fetchall())

    def check():
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            report = evaluate_all()
        return report, queries

    def shared_check(workers: int) -> tuple[float, dict]:
        """The batches of the check taken by `workers` processes, each with its own database
        connection, started and connected before the clock starts (as Celery workers are)."""
        ranges = threshold_ranges()
        connection.close()  # nothing open for the children to inherit
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            list(pool.map(_connect, range(workers)))
            started = time.perf_counter()
            reports = list(pool.map(_check_range, ranges))
            elapsed = time.perf_counter() - started
        counts = {key: sum(report[key] for report in reports) for key in reports[0]}
        return elapsed, counts

    def measure(label: str) -> dict:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE tracking_alert, notifications_notification, notifications_delivery CASCADE")
        # An alert's link needs the URLconf, which a worker imports once in its life (seconds
        # on a busy machine): not a cost of opening alerts.
        reverse("dashboard")
        first_time, (first, first_queries) = seconds(check)
        steady = [seconds(check) for _ in range(args.runs)]
        steady_time = statistics.median(t for t, _ in steady)
        report, steady_queries = steady[-1][1]
        shared = [shared_check(args.workers) for _ in range(args.runs)] if args.workers > 1 else []
        # The faster of the floor with and without PostgreSQL's JIT (the check turns it off).
        floor_times = {jit: [seconds(lambda jit=jit: floor(jit)) for _ in range(args.runs)] for jit in (True, False)}
        floor_time = min(statistics.median(t for t, _ in times) for times in floor_times.values())
        floor_rows = floor_times[True][0][1]
        counts = report.counts()
        values = MetricValue.objects.filter(plan=plan).count()
        print(f"{label}: {thresholds.count():,} thresholds, {values:,} metric values, load {os.getloadavg()[0]:.1f}")
        opened = first.counts()
        print(
            f"  first check (opens alerts)        {first_time:7.2f} s  {first_queries:6,} queries  "
            f"({opened['opened']:,} opened, {opened['within']:,} within, {opened['not_evaluable']:,} not evaluable)"
        )
        opening = max(first_time - steady_time, 0)
        print(
            f"  of which opening alerts           {opening:7.2f} s  {first_queries - steady_queries:6,} queries  "
            f"({(first_queries - steady_queries) / max(first.batches, 1):.1f} per batch of "
            f"{settings.THRESHOLD_BATCH_SIZE} thresholds; "
            f"{opening * 1000 / max(opened['opened'], 1):.1f} ms per alert; goal: 6,000 in < 60 s)"
        )
        print(
            f"  steady check (breaches kept)      {steady_time:7.2f} s  {steady_queries:6,} queries  "
            f"({counts['kept']:,} kept, {counts['within']:,} within, {counts['opened']} opened, "
            f"{counts['resolved']} resolved, {counts['errors']} errors; "
            f"{report.batches} batches, {(steady_queries - 1) / report.batches:.0f} queries each and 1)"
        )
        if shared:
            shared_time = statistics.median(t for t, _ in shared)
            shared_counts = shared[-1][1]
            print(
                f"  the same batches in {args.workers} processes    {shared_time:7.2f} s  "
                f"               ({shared_counts['kept']:,} kept, {shared_counts['opened']} opened; "
                f"{steady_time / shared_time:.2f}x faster than one)"
            )
        print(f"  floor: one SQL aggregate          {floor_time:7.2f} s  {1:6,} query    ({floor_rows:,} rows)")
        print(f"  steady check / floor              {steady_time / floor_time:7.2f}x   (goal < 10 s)")
        return {"queries": steady_queries, "time": steady_time}

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(
        f"thresholds_bench: {version}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, "
        f"batch size {settings.THRESHOLD_BATCH_SIZE}, median of {args.runs}"
    )
    full = measure("all values")
    if args.skip_half:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE tracking_alert, notifications_notification, notifications_delivery CASCADE")
        return
    with connection.cursor() as cursor:
        # Every other value set aside (and put back afterwards), outside any transaction so that
        # the check runs as the beat job does.
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_removed_values (LIKE plans_metricvalue)")
        cursor.execute("TRUNCATE bench_removed_values")
        cursor.execute(
            "WITH removed AS (DELETE FROM plans_metricvalue WHERE plan_id = %s AND id %% 2 = 0 RETURNING *) "
            "INSERT INTO bench_removed_values SELECT * FROM removed",
            [plan.pk],
        )
        cursor.execute("VACUUM ANALYZE plans_metricvalue")
    try:
        half = measure("half the values")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO plans_metricvalue SELECT * FROM bench_removed_values")
            cursor.execute("TRUNCATE bench_removed_values")
            cursor.execute("VACUUM ANALYZE plans_metricvalue")
            cursor.execute("TRUNCATE tracking_alert, notifications_notification, notifications_delivery CASCADE")
    same = "the same" if full["queries"] == half["queries"] else "DIFFERENT"
    print(f"query count of the steady check, all vs half the values: {full['queries']} vs {half['queries']} ({same})")


if __name__ == "__main__":
    main()
