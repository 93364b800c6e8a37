"""How fast the pages are at the scale of a busy year: 200 campaigns, 1,000,000 metric values,
about 5,500 tasks and the alerts of a first check.

    REDIS_URL=redis://127.0.0.1:6379/13 \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench_pages .venv/bin/python bench/pages_bench.py

It runs on the database of bench/thresholds_bench.py (run that first: it makes the plan of 200
campaigns with 1,000,000 values and 2,000 thresholds, and its first check opens the alerts).
Once, it adds what the pages need beside: 4,500 more tasks (1,000 of them a marketing
manager's own, so that My tasks holds 1,000), a department with a lead and a staff member, an
executive and a viewer. Then it asks each page in this process through Django's test client,
signed in, --runs times after one warm-up, and prints the median server time and the query
count of each, next to the floor: the same client asking a trivial signed-in page (the
profile), which pays for the session, the user, the middleware and a small template.

The dashboards and the annual plan page keep the targets' actuals, the plan's recorded cost and
the channel ranking in the cache (plans.actuals): run it with REDIS_URL set (a Redis database
of its own), as production does; without it the cache is files in var/cache. Their lines are
loads with the figures in the cache, what nearly every load is; the lines "…, after a write"
time the first load after values were recorded in every campaign of the plan (every figure
computed again, the worst case), median of --runs.

Goal (issue 15): every page's median ≤ 150 ms at this scale, its query count independent of the
data.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from common import ensure_database  # bench/common.py (scripts run from bench/)

ROOT = Path(__file__).resolve().parent.parent
PLAN_TITLE = "Benchmark thresholds"  # bench/thresholds_bench.py's plan
EXTRA_TASKS = 4500
MANAGER_TASKS = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed requests per page (median; default 5)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to bench/thresholds_bench.py's PostgreSQL database.")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "false")
    os.environ["CELERY_BROKER_URL"] = "memory://"
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Department, Role, User
    from plans.models import AnnualPlan, MetricValue
    from plans.services import metric_values_changed
    from tasks.models import Stage, Task, TaskStatus
    from tracking.models import Alert

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    # DEBUG off as in production, static files without the manifest `collectstatic` writes.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    plan = AnnualPlan.objects.filter(title=PLAN_TITLE).first()
    if plan is None:
        sys.exit("No benchmark plan here: run bench/thresholds_bench.py on this database first.")
    campaigns = list(plan.campaigns.order_by("pk"))
    today = timezone.localdate()

    def person(username: str, role: str, **fields) -> User:
        user, _ = User.objects.get_or_create(username=username, defaults={"name": username, **fields})
        user.groups.set([Group.objects.get(name=role)])
        return user

    manager = person("bench-manager", Role.MARKETING_MANAGER)
    executive = person("bench-executive", Role.EXECUTIVE)
    viewer = person("bench-viewer", Role.VIEWER)
    department, _ = Department.objects.get_or_create(name="基准部门 Bench department")
    lead = person("bench-lead", Role.DEPARTMENT_LEAD, department=department)
    staff = person("bench-staff", Role.STAFF, department=department)
    if department.lead_id != lead.pk:
        department.lead = lead
        department.save(update_fields=["lead"])

    if Task.objects.filter(responsible=manager).count() < MANAGER_TASKS:
        began = time.perf_counter()
        stages = {stage.campaign_id: stage for stage in Stage.objects.filter(campaign__in=campaigns)}
        statuses = [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED, TaskStatus.DONE]
        people = [manager, staff, lead]
        Task.objects.bulk_create(
            Task(
                campaign=campaign,
                stage=stages[campaign.pk],
                name=f"页面任务 Page task {n:05}",
                responsible=manager if n < MANAGER_TASKS else people[n % 3],
                accountable=lead,
                due_date=today + timedelta(days=n % 60 - 20),
                status=statuses[n % 4],
            )
            for n in range(EXTRA_TASKS)
            for campaign in [campaigns[n % len(campaigns)]]
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"added {EXTRA_TASKS:,} tasks in {time.perf_counter() - began:.0f} s")

    if not Alert.objects.unresolved().exists():
        from tracking.evaluation import evaluate_all

        began = time.perf_counter()
        evaluate_all()
        opened = Alert.objects.unresolved().count()
        print(f"a first check opened {opened:,} alerts in {time.perf_counter() - began:.0f} s")

    biggest = campaigns[0]
    pages = [
        ("floor: profile (signed in)", manager, reverse("accounts:profile")),
        ("dashboard, manager", manager, "/"),
        ("dashboard, executive", executive, "/"),
        ("dashboard, department lead", lead, "/"),
        ("dashboard, staff", staff, "/"),
        ("dashboard, viewer", viewer, "/"),
        ("dashboard, manager, after a write", manager, "/"),
        ("annual plan", manager, f"/plans/{plan.pk}/"),
        ("annual plan, after a write", manager, f"/plans/{plan.pk}/"),
        ("campaign", manager, f"/campaigns/{biggest.pk}/"),
        ("My tasks (1,000 tasks)", manager, "/my-tasks/"),
        ("alerts list", manager, "/alerts/"),
        ("RACI matrix", manager, f"/campaigns/{biggest.pk}/raci/"),
        ("weekly review, campaign", manager, f"/campaigns/{biggest.pk}/weekly-review/"),
    ]
    clients = {}
    for user in {user for _, user, _ in pages}:
        client = Client()
        client.force_login(user)
        clients[user.pk] = client

    load = os.getloadavg()[0]
    print(
        f"pages_bench: {len(campaigns)} campaigns, {MetricValue.objects.count():,} values, "
        f"{Task.objects.count():,} tasks, {Alert.objects.unresolved().count():,} open alerts, "
        f"{args.runs} runs, load {load:.1f}, cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
    )

    def write():
        """What recording values in every campaign of the plan does to the cached figures."""
        metric_values_changed(campaign_ids=[campaign.pk for campaign in campaigns], plan_ids=[plan.pk])

    floor = None
    results = {}
    for name, user, path in pages:
        client = clients[user.pk]
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times = []
        for _ in range(args.runs):
            if name.endswith("after a write"):
                write()
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - began) * 1000)
        median = statistics.median(times)
        floor = floor or median
        results[name] = median
        print(
            f"  {name:36} median {median:8.1f} ms  {len(queries.captured_queries):4} queries  "
            f"{len(response.content) / 1024:7.0f} KB  {median / floor:6.1f}x floor"
        )
    print(f"  load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
