"""How fast and how lean the streamed CSV export is: 1,000,000 metric values.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench_export .venv/bin/python bench/export_bench.py

Creates the database if it is missing and migrates it, then (once: later runs reuse them) one
plan of 100 campaigns, five metrics recorded daily on ten channels for 200 days (1,000,000
metric values, loaded with COPY). Then:

(a) the export: `/api/v1/export/metric-values/` (CSV, with a BI token) served by a real
    gunicorn process (one sync worker, DEBUG off), read by curl into /dev/null; next to the
    floor: `psql -c "\\copy (select …) to stdout csv"` of the same rows and columns (the
    metric's and channel's codes joined, in id order) into /dev/null. Median of --runs each,
    interleaved. The worker's peak memory (VmHWM) is read before and after the exports: its
    growth is what the export costs in memory. Goal: within 1.5x the floor, growth < 50 MB.
    The same export with gzip, for information.
(b) a list page of 100 rows: `/api/v1/metric-values/?page_size=100` (the first page, JSON,
    the serializer, the count) in-process through django.test.Client, next to the floor: a
    bare view mounted beside the project's URLs, `values()` of the same fields (the same
    joins, order and filter) into a JsonResponse. Median of --list-runs, interleaved, whole
    table and one campaign's values. Goal: within 2x the floor.
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from common import ensure_database  # bench/common.py (scripts run from bench/)

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGNS = 100
DAYS = 200
CHANNELS = 10
METRICS = ["units_sold", "marketing_cost", "conversion_rate", "new_members", "exposure"]
ROWS = CAMPAIGNS * DAYS * CHANNELS * len(METRICS)
PLAN_TITLE = "Benchmark export"
START = date(2026, 1, 1)
FLOOR_SQL = (
    "SELECT v.id, m.code, v.plan_id, v.campaign_id, c.code, v.date, v.value, v.source, v.recorded_by_id, "
    "v.recorded_at FROM plans_metricvalue v JOIN plans_metric m ON m.id = v.metric_id "
    "LEFT JOIN plans_channel c ON c.id = v.channel_id ORDER BY v.id"
)


def load_average() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def curl(url: str, key: str, *extra: str) -> tuple[float, int]:
    """Seconds and bytes of one GET read whole into /dev/null."""
    start = time.perf_counter()
    result = subprocess.run(
        [
            "curl",
            "-sS",
            "-f",
            "-o",
            "/dev/null",
            "-w",
            "%{size_download}",
            "-H",
            f"Authorization: Token {key}",
            *extra,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, int(result.stdout)


def psql_floor(database_url: str) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run(
        ["psql", database_url, "-X", "-q", "-c", f"\\copy ({FLOOR_SQL}) to stdout csv"],
        check=True,
        stdout=subprocess.PIPE,
    )
    return time.perf_counter() - start, len(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="exports and floors timed (median; default 3)")
    parser.add_argument("--list-runs", type=int, default=30, help="list pages and floors timed (default 30)")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/tracker_bench_export"
        )
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "false")  # DEBUG keeps every query's SQL: not what production runs
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from accounts.services import api_token_create
    from plans.models import AnnualPlan, Campaign, CampaignType, Channel, Metric, MetricValue

    call_command("migrate", verbosity=0)

    def data_in_place() -> bool:
        plan = AnnualPlan.objects.filter(title=PLAN_TITLE).first()
        return plan is not None and MetricValue.objects.count() == ROWS

    if not data_in_place():
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE plans_annualplan, plans_metricvalue CASCADE")
        owner, _ = User.objects.get_or_create(username="bench-export-owner", defaults={"name": "基准 导出"})
        plan = AnnualPlan.objects.create(year=START.year, title=PLAN_TITLE, owner=owner)
        campaigns = Campaign.objects.bulk_create(
            Campaign(
                plan=plan,
                name=f"导出基准 Bench campaign {n:03}",
                type=CampaignType.MAJOR_PROMOTION,
                owner=owner,
                start_date=START,
                end_date=START + timedelta(days=DAYS - 1),
                budget=Decimal("800000"),
                status="executing",
            )
            for n in range(CAMPAIGNS)
        )
        metrics = [Metric.objects.get(code=code).pk for code in METRICS]
        channels = list(Channel.objects.order_by("pk").values_list("pk", flat=True)[:CHANNELS])
        columns = "metric_id, plan_id, campaign_id, channel_id, date, value, source, recorded_by_id, recorded_at"
        now = "2026-06-01 10:00:00.123456+00"
        import io

        for campaign in campaigns:
            buffer = io.StringIO()
            for day in range(DAYS):
                on = (START + timedelta(days=day)).isoformat()
                for channel in channels:
                    for number, metric in enumerate(metrics):
                        value = f"{(campaign.pk * 7 + day * 13 + channel * 3 + number) % 9973}.{day % 100:02}"
                        buffer.write(
                            f"{metric}\t{plan.pk}\t{campaign.pk}\t{channel}\t{on}\t{value}\timport\t{owner.pk}\t{now}\n"
                        )
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.copy_expert(f"COPY plans_metricvalue ({columns}) FROM STDIN", buffer)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE plans_metricvalue")
        print(f"created {ROWS:,} metric values in {time.perf_counter() - began:.0f} s")

    reader, _ = User.objects.get_or_create(username="bench-export-bi", defaults={"name": "BI"})
    reader.is_staff = True
    reader.save(update_fields=["is_staff"])
    _token, key = api_token_create(name="export bench", user=reader)
    version = connection.cursor().connection.server_version
    connection.close()

    print(
        f"export_bench: {ROWS:,} metric values, median of {args.runs} exports / {args.list_runs} list pages, "
        f"PostgreSQL {version // 10000}.{version % 100}, {os.cpu_count()} CPUs, load {load_average()} at the start"
    )
    export_figures(url, key, args.runs)
    list_figures(args.list_runs)
    print(f"load {load_average()} at the end")


def export_figures(database_url: str, key: str, runs: int) -> None:
    port = free_port()
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}", "--timeout", "600"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    export_url = f"http://127.0.0.1:{port}/api/v1/export/metric-values/"
    try:
        for _ in range(100):
            try:
                curl(f"{export_url}?campaign=0", key)
                break
            except subprocess.CalledProcessError:
                time.sleep(0.2)
        worker = int(
            subprocess.run(["pgrep", "-P", str(server.pid)], check=True, capture_output=True, text=True).stdout.split()[
                0
            ]
        )
        # A warm-up export of a few rows: the worker's imports and first queries.
        curl(f"{export_url}?date_before=2026-01-02", key)
        before = peak_rss_kb(worker)
        exports, floors, gzipped = [], [], []
        size = floor_size = 0
        for _ in range(runs):
            seconds, size = curl(export_url, key)
            exports.append(seconds)
            seconds, floor_size = psql_floor(database_url)
            floors.append(seconds)
        for _ in range(runs):
            gzipped.append(curl(export_url, key, "-H", "Accept-Encoding: gzip")[0])
        growth = (peak_rss_kb(worker) - before) / 1024
        export, floor = statistics.median(exports), statistics.median(floors)
        print(f"(a) export of {ROWS:,} metric values as CSV (gunicorn, 1 worker, load {load_average()})")
        print(f"  floor: psql \\copy (select …) to stdout csv  {floor:7.2f} s  {floor_size / 1e6:6.1f} MB")
        print(
            f"  /api/v1/export/metric-values/ (CSV)          {export:7.2f} s  {size / 1e6:6.1f} MB"
            f"  {export / floor:4.2f}x floor (goal <= 1.5x)"
        )
        print(f"  the same with Accept-Encoding: gzip          {statistics.median(gzipped):7.2f} s")
        print(
            f"  worker's peak memory: {before / 1024:.0f} MB before, grew {growth:.1f} MB "
            f"over {2 * runs} exports (goal < 50 MB)"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def list_figures(runs: int) -> None:
    import types

    from django.db.models import F
    from django.http import JsonResponse
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import include, path

    from accounts.models import User
    from plans.models import Campaign, MetricValue

    fields = ["id", "plan_id", "campaign_id", "date", "value", "source", "recorded_by_id", "recorded_at"]
    joined = {"metric_code": F("metric__code"), "channel_code": F("channel__code")}

    def floor_view(request):
        rows = MetricValue.objects.all()
        if "campaign" in request.GET:
            rows = rows.filter(campaign_id=int(request.GET["campaign"]))
        return JsonResponse({"results": list(rows.order_by("-date", "metric", "pk").values(*fields, **joined)[:100])})

    urls = types.ModuleType("export_bench_urls")
    urls.urlpatterns = [path("bench-floor/", floor_view), path("", include("config.urls"))]
    sys.modules["export_bench_urls"] = urls
    reader = User.objects.get(username="bench-export-bi")
    client = Client()
    client.force_login(reader)
    campaign = Campaign.objects.order_by("pk").values_list("pk", flat=True)[CAMPAIGNS // 2]
    print(f"(b) a list page of 100 metric values (in-process test client, load {load_average()})")
    with override_settings(ROOT_URLCONF="export_bench_urls", ALLOWED_HOSTS=["testserver"]):
        for label, query in (
            ("whole table", {}),
            (f"one campaign ({ROWS // CAMPAIGNS:,} values)", {"campaign": campaign}),
        ):
            pages, floors = [], []
            for _ in range(3):
                client.get("/api/v1/metric-values/", {"page_size": 100, **query})
                client.get("/bench-floor/", query)
            for _ in range(runs):
                start = time.perf_counter()
                response = client.get("/api/v1/metric-values/", {"page_size": 100, **query})
                pages.append(time.perf_counter() - start)
                assert response.status_code == 200
                assert len(response.json()["results"]) == 100
                start = time.perf_counter()
                response = client.get("/bench-floor/", query)
                floors.append(time.perf_counter() - start)
                assert len(response.json()["results"]) == 100
            page, floor = statistics.median(pages), statistics.median(floors)
            print(f"  {label}:")
            print(f"    floor: values() + JsonResponse             {floor * 1000:7.1f} ms")
            print(
                f"    /api/v1/metric-values/?page_size=100       {page * 1000:7.1f} ms"
                f"  {page / floor:4.2f}x floor (goal <= 2x)"
            )


if __name__ == "__main__":
    main()
