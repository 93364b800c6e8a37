"""How fast a status change and the RACI matrix page are on a large campaign.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench_tasks .venv/bin/python bench/tasks_bench.py

Creates the database if it is missing and migrates it, then (once: later runs reuse them) a
campaign of 5,000 tasks and one of 500, shared by 50 people and 6 departments, every task with
an R, an A, a Consulted person, an Informed department and a collaborating department.
Everything runs in-process through django.test.Client (the whole middleware stack, the real
URLs and templates), and only the request is timed:

(a) a status change through the page's endpoint (`tasks:task_status`, POST status / note /
    progress as htmx sends it, logged in as the task's R), median of --runs requests, next
    to the floor: a bare view defined here, mounted beside the project's URLs, that runs a
    single UPDATE of the same task row behind the same middleware. Goal: within 2x the floor.
(b) the RACI matrix page (`tasks:raci_matrix`) at 500 and at 5,000 tasks, median of
    --matrix-runs requests each, as a marketing manager (every task visible, every cell
    editable). Goal: the time ratio no larger than the task count ratio (10x).
"""

import argparse
import os
import statistics
import sys
import time
import types
from datetime import timedelta
from pathlib import Path

from common import ensure_database  # bench/common.py (scripts run from bench/)

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 50
DEPARTMENTS = 6
SIZES = (500, 5_000)


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
    parser.add_argument("--runs", type=int, default=50, help="status changes timed (default 50)")
    parser.add_argument("--matrix-runs", type=int, default=5, help="matrix page loads timed per size (default 5)")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/tracker_bench_tasks"
        )
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "false")  # DEBUG keeps every query's SQL: not what production runs
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import include, path, reverse
    from django.utils import timezone
    from django.views.decorators.http import require_POST

    from accounts.models import Department, Role, User
    from plans.models import AnnualPlan, Campaign, CampaignType
    from tasks.models import Assignment, Task, TaskStatus
    from tasks.services import stages_ensure_defaults

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # The manifest storage needs a collectstatic first; a static URL costs the same either way.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    today = timezone.localdate()

    # Data, made once ----------------------------------------------------------------------
    manager, _ = User.objects.get_or_create(username="bench-manager", defaults={"name": "基准 经理"})
    manager.groups.add(Group.objects.get(name=Role.MARKETING_MANAGER))
    departments = [Department.objects.get_or_create(name=f"基准部门 {n}")[0] for n in range(DEPARTMENTS)]
    existing = {user.username: user for user in User.objects.filter(username__startswith="bench-person-")}
    User.objects.bulk_create(
        User(username=f"bench-person-{n:02}", name=f"执行人 {n:02}", department=departments[n % DEPARTMENTS])
        for n in range(PEOPLE)
        if f"bench-person-{n:02}" not in existing
    )
    people = list(User.objects.filter(username__startswith="bench-person-").order_by("username"))
    plan, _ = AnnualPlan.objects.get_or_create(title="Benchmark tasks", defaults={"year": today.year, "owner": manager})

    def campaign_of(size: int) -> Campaign:
        campaign, _created = Campaign.objects.get_or_create(
            plan=plan,
            name=f"Benchmark {size} tasks",
            defaults={
                "type": CampaignType.NEW_PRODUCT_LAUNCH,
                "owner": manager,
                "start_date": today,
                "end_date": today + timedelta(days=365),
            },
        )
        if Task.objects.filter(campaign=campaign).count() == size:
            return campaign
        Task.objects.filter(campaign=campaign).delete()
        stages = stages_ensure_defaults(campaign=campaign)
        tasks = Task.objects.bulk_create(
            (
                Task(
                    campaign=campaign,
                    stage=stages[n % len(stages)],
                    name=f"任务 {n:05}",
                    description="基准任务",
                    responsible=people[n % PEOPLE],
                    accountable=people[(n + 7) % PEOPLE],
                    due_date=today - timedelta(days=3) if n % 5 == 0 else today + timedelta(days=n % 90),
                    status=TaskStatus.values[n % 4],
                )
                for n in range(size)
            ),
            batch_size=1000,
        )
        Assignment.objects.bulk_create(
            [Assignment(task=task, role="C", user=people[(n + 13) % PEOPLE]) for n, task in enumerate(tasks)]
            + [
                Assignment(task=task, role="I", department=departments[n % DEPARTMENTS]) for n, task in enumerate(tasks)
            ],
            batch_size=2000,
        )
        Task.departments.through.objects.bulk_create(
            (
                Task.departments.through(task_id=task.pk, department_id=departments[(n + 1) % DEPARTMENTS].pk)
                for n, task in enumerate(tasks)
            ),
            batch_size=2000,
        )
        print(f"created campaign {campaign.pk} with {size:,} tasks")
        return campaign

    campaigns = {size: campaign_of(size) for size in SIZES}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # (a) status change against a bare UPDATE -----------------------------------------------
    task = Task.objects.filter(campaign=campaigns[5_000]).select_related("responsible").order_by("pk")[2_500]

    @require_POST
    def bare_update(request, pk):
        Task.objects.filter(pk=pk).update(
            status=request.POST["status"], progress=int(request.POST["progress"]), updated_at=timezone.now()
        )
        return HttpResponse("ok")

    bench_urls = types.ModuleType("bench_tasks_urls")
    bench_urls.urlpatterns = [
        path("bench/bare-update/<int:pk>/", bare_update, name="bench_bare_update"),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules["bench_tasks_urls"] = bench_urls

    owner = Client()
    owner.force_login(task.responsible)
    counter = iter(range(10**9))

    def change(url: str, expected: int = 200):
        def post():
            n = next(counter)
            response = owner.post(
                url,
                {"status": TaskStatus.IN_PROGRESS, "note": f"基准更新 {n}", "progress": n % 100},
                headers={"HX-Request": "true"},
            )
            assert response.status_code == expected, (response.status_code, response.content[:500])

        return post

    with override_settings(ROOT_URLCONF="bench_tasks_urls"):
        status_url = reverse("tasks:task_status", args=[task.pk])
        floor_url = reverse("bench_bare_update", args=[task.pk])
        # Counted at once: captured_queries reads the connection's log, which each request clears.
        with CaptureQueriesContext(connection) as captured:
            change(status_url)()
        status_queries = len(captured.captured_queries)
        with CaptureQueriesContext(connection) as captured:
            change(floor_url)()
        floor_queries = len(captured.captured_queries)
        # Interleaved, so that whatever else the machine does weighs on both alike.
        for _ in range(3):  # warm-up
            change(status_url)()
            change(floor_url)()
        status_times, floor_times = [], []
        for _ in range(args.runs):
            status_times.append(timed(change(status_url)))
            floor_times.append(timed(change(floor_url)))
    status_median, floor_median = statistics.median(status_times), statistics.median(floor_times)

    # (b) the matrix page at 500 and 5,000 tasks --------------------------------------------
    browser = Client()
    browser.force_login(manager)
    matrix, sizes = {}, {}
    for size, campaign in campaigns.items():
        matrix_url = reverse("tasks:raci_matrix", args=[campaign.pk])

        def load(matrix_url=matrix_url, size=size):
            response = browser.get(matrix_url)
            assert response.status_code == 200, response.status_code
            sizes[size] = len(response.content)

        with CaptureQueriesContext(connection) as captured:
            load()
        queries = len(captured.captured_queries)
        matrix[size] = (median_seconds(load, runs=args.matrix_runs, warmup=1), queries)

    # Figures -------------------------------------------------------------------------------
    version = connection.cursor().connection.server_version
    print(
        f"tasks_bench: {PEOPLE} people, {DEPARTMENTS} departments, campaigns of {SIZES[0]:,} and {SIZES[1]:,} tasks, "
        f"PostgreSQL {version // 10000}.{version % 10000}"
    )
    print(
        f"(a) status change via tasks:task_status   median {status_median * 1000:7.2f} ms "
        f"({status_queries} queries, {args.runs} runs)"
    )
    print(
        f"(a) floor: bare view, one UPDATE          median {floor_median * 1000:7.2f} ms "
        f"({floor_queries} queries, {args.runs} runs)"
    )
    print(f"(a) status change / floor                 {status_median / floor_median:7.2f}x   (goal <= 2x)")
    for size in SIZES:
        seconds, queries = matrix[size]
        print(
            f"(b) RACI matrix page, {size:>5,} tasks         median {seconds * 1000:7.1f} ms "
            f"({queries} queries, {sizes[size] / 1024:,.0f} KiB, {args.matrix_runs} runs)"
        )
    small, large = SIZES
    print(
        f"(b) matrix time ratio {large:,} / {small:,} tasks  {matrix[large][0] / matrix[small][0]:7.2f}x   "
        f"(task ratio {large / small:.0f}x; goal: time ratio <= task ratio)"
    )


if __name__ == "__main__":
    main()
