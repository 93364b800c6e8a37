"""How long drafting a weekly progress log takes on a large week, against the floor of its
own aggregate queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench_weekly .venv/bin/python bench/weekly_log_draft.py

Creates the database if it is missing and migrates it, then (once: later runs reuse them) a
campaign of 1,000 tasks over four stages, five goals, and 50,000 metric values in one ISO
week (every metric on every channel and day, in the campaign and in other campaigns of its
plan). Then, median of --runs runs each:

(a) floor: the draft's aggregate queries alone: the goals' week figures and attainment
    (plans.weeks.goal_weeks, one query of correlated aggregates) and the channel ranking
    (plans.ranking.channel_ranking, two queries);
(b) the whole draft (tracking.services.weekly_logs.weekly_log_draft): every read of the week
    (tasks by stage, blocked tasks with reasons, alerts, issues, next week's tasks), the
    texts of the rows and the inserts, rolled back after each run.

Goal: the draft within 3x the floor; it runs a fixed number of queries (printed).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from common import ensure_database  # bench/common.py (scripts run from bench/)

ROOT = Path(__file__).resolve().parent.parent
TASKS = 1_000
VALUES = 50_000
WEEK = date(2026, 6, 8)
CAMPAIGN_NAME = "bench weekly log"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_seconds(fn, runs: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    return statistics.median(timed(fn) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs timed of each (default 7)")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/tracker_bench_weekly"
        )
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "false")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from plans.ranking import channel_ranking
    from plans.weeks import goal_weeks

    call_command("migrate", verbosity=0)
    campaign = _campaign()
    from tracking.services.weekly_logs import weekly_log_draft

    def floor():
        goal_weeks(campaigns=[campaign.pk], monday=WEEK)
        channel_ranking(plan=campaign.plan, campaign=campaign, monday=WEEK)

    def draft():
        with transaction.atomic():
            weekly_log_draft(campaign=campaign, monday=WEEK, today=WEEK + timedelta(days=4))
            transaction.set_rollback(True)

    with CaptureQueriesContext(connection) as queries:
        draft()
    floor_s = median_seconds(floor, args.runs)
    draft_s = median_seconds(draft, args.runs)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    load = os.getloadavg()[0]
    print(
        f"weekly_log_draft: {TASKS:,} tasks, {VALUES:,} values in the week, median of {args.runs} runs, "
        f"{version}, {os.cpu_count()} CPUs, load {load:.1f}"
    )
    print(f"  floor: goal figures + channel ranking queries   {floor_s:8.3f} s")
    print(f"  draft (reads, row texts, inserts)              {draft_s:8.3f} s   {draft_s / floor_s:5.1f}x floor")
    print(f"  queries per draft: {len(queries.captured_queries)}")


def _campaign():
    """The benchmark's campaign, made once."""
    from django.db import transaction

    from accounts.models import User
    from plans.models import (
        AnnualPlan,
        Campaign,
        CampaignStatus,
        CampaignType,
        Channel,
        Metric,
        MetricValue,
        Target,
    )
    from tasks.models import DEFAULT_STAGES, Stage, StatusUpdate, Task, TaskStatus

    existing = Campaign.objects.filter(name=CAMPAIGN_NAME).select_related("plan", "owner").first()
    if existing is not None:
        return existing
    with transaction.atomic():
        owner, _ = User.objects.get_or_create(username="bench-weekly", defaults={"name": "Bench"})
        plan = AnnualPlan.objects.create(year=2026, title="bench weekly", owner=owner)

        def new_campaign(name):
            return Campaign.objects.create(
                plan=plan,
                name=name,
                type=CampaignType.NEW_PRODUCT_LAUNCH,
                owner=owner,
                start_date=date(2026, 6, 1),
                end_date=date(2026, 6, 30),
                status=CampaignStatus.EXECUTING,
            )

        campaign = new_campaign(CAMPAIGN_NAME)
        stages = [
            Stage.objects.create(campaign=campaign, name_zh=zh, name_en=en, position=n)
            for n, (zh, en) in enumerate(DEFAULT_STAGES)
        ]
        statuses = [TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED, TaskStatus.BLOCKED]
        tasks = Task.objects.bulk_create(
            Task(
                campaign=campaign,
                stage=stages[n % 4],
                name=f"Task {n}",
                responsible=owner,
                accountable=owner,
                status=statuses[n % 4],
                due_date=WEEK + timedelta(days=n % 14 - 3),
            )
            for n in range(TASKS)
        )
        StatusUpdate.objects.bulk_create(
            StatusUpdate(
                task=task,
                author=owner,
                created_at=django_now(),
                new_status=TaskStatus.BLOCKED,
                progress=0,
                note="material late",
            )
            for task in tasks
            if task.status == TaskStatus.BLOCKED
        )
        metrics = {m.code: m for m in Metric.objects.all()}
        for code in ("units_sold", "sales_revenue", "new_members", "exposure", "marketing_cost"):
            Target.objects.create(
                campaign=campaign,
                metric=metrics[code],
                category="performance",
                target_value=Decimal(1_000_000),
                period_start=campaign.start_date,
                period_end=campaign.end_date,
            )
        channels = [None, *Channel.objects.all()]
        rows, target = [], campaign
        while len(rows) < VALUES:
            for day in range(7):
                when = WEEK + timedelta(days=day)
                for metric in metrics.values():
                    for channel in channels:
                        rows.append(
                            MetricValue(
                                metric=metric,
                                plan=plan,
                                campaign=target,
                                channel=channel,
                                date=when,
                                value=Decimal(10 + day),
                            )
                        )
            target = new_campaign(f"{CAMPAIGN_NAME} {len(rows)}")
        MetricValue.objects.bulk_create(rows[:VALUES], batch_size=5_000)
    return Campaign.objects.select_related("plan", "owner").get(pk=campaign.pk)


def django_now():
    from django.utils import timezone

    return timezone.now()


if __name__ == "__main__":
    main()
