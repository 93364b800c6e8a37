"""The morning journey under load: N staff users against gunicorn on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench_journey .venv/bin/python bench/journey_load.py

Creates the database if it is missing and migrates it, collects the static files, then
(once: later runs reuse them) --users staff members, each Responsible for --tasks tasks
spread over three campaigns (a fifth overdue, a few blocked, a few done, the rest due this
week or later; their Accountable a marketing manager). Then it starts gunicorn as production
runs it (`config.wsgi` on `config.settings.production`: DEBUG off, kept database connections
with health checks, Redis for the cache and the broker, static files from the manifest;
--workers sync workers, or --threads per worker for gthread) and drives it from this process
with one thread and one keep-alive connection per user (http.client: the load generator
shares the machine's CPUs with the server, so it is kept lean and its CPU share is reported).
Every request is sent as the load balancer would forward it (X-Forwarded-Proto: https).

Each round, for --seconds each, at the same concurrency (--users) against the same server:

  floor    every user GETs the login page, over and over (no session: the cheapest page a
           visitor can ask for that renders a template and sets the CSRF cookie).
  journey  every user, signed in once before the round (not timed), loops: GET My tasks, then
           POST a status change with a note to one of their open tasks the way the page's
           htmx form sends it (the form's CSRF token, HX-Request, the card back), with
           --think seconds between requests. A response that is not a 200 with the expected
           page or card is an error.
  healthz  during the journey, a separate thread GETs /healthz every 100 ms (what a load
           balancer's probe meets under that load), and once idle before it.

It prints requests/s, p50/p95/p99 per kind of request and the errors, the journey's
throughput over the floor's (goal: at least 0.5), and the CPU seconds the generator, the
gunicorn workers and the whole machine spent in each round (2 cores: the generator's share
is CPU the server did not get). Medians over --rounds rounds, floor and journey interleaved.
Goals (issue 15) at 20 users: journey requests/s >= half the floor's, p95 < 500 ms, no
errors, /healthz p50 < 20 ms under the journey.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from common import ensure_database  # bench/common.py (scripts run from bench/)

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "journey-bench-password-1"  # the benchmark's own users
CAMPAIGNS = 3
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CARD = re.compile(rb'id="task-(\d+)"')
# An open card's progress slider sends its status along: {"status": "in_progress"}.
CARD_STATUS = re.compile(rb'hx-vals=\'{"status": "(\w+)"}\'')
# The status a user sets on an open card: work starts or goes back; a blocked task stays blocked,
# with a new note (its reason). The groups of My tasks keep their sizes from round to round.
NEXT_STATUS = {b"not_started": "in_progress", b"in_progress": "not_started", b"blocked": "blocked"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# Data ---------------------------------------------------------------------------------------


def prepare(url: str, users: int, tasks_per_user: int) -> None:
    """Migrate, collect the static files and make the users and their tasks (once)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "false")
    os.environ["CELERY_BROKER_URL"] = "memory://"
    ensure_database(url)
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Department, Role, User
    from plans.models import AnnualPlan, Campaign, CampaignType
    from tasks.models import StatusUpdate, Task, TaskStatus
    from tasks.services import stages_ensure_defaults

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    today = timezone.localdate()
    department, _ = Department.objects.get_or_create(name="Journey bench")
    manager, _ = User.objects.get_or_create(username="journey-manager", defaults={"name": "Journey manager"})
    manager.groups.add(Group.objects.get(name=Role.MARKETING_MANAGER))
    password = make_password(PASSWORD)  # one hash for all: hashing is the login's cost, not the data's
    existing = set(User.objects.filter(username__startswith="journey-staff-").values_list("username", flat=True))
    User.objects.bulk_create(
        User(username=f"journey-staff-{n:03}", name=f"员工 {n:03}", department=department, password=password)
        for n in range(users)
        if f"journey-staff-{n:03}" not in existing
    )
    staff = list(User.objects.filter(username__startswith="journey-staff-").order_by("username")[:users])
    Group.objects.get(name=Role.STAFF).user_set.add(*staff)
    plan, _ = AnnualPlan.objects.get_or_create(title="Journey bench", defaults={"year": today.year, "owner": manager})
    campaigns = [
        Campaign.objects.get_or_create(
            plan=plan,
            name=f"Journey campaign {n}",
            defaults={
                "type": CampaignType.NEW_PRODUCT_LAUNCH,
                "owner": manager,
                "start_date": today - timedelta(days=30),
                "end_date": today + timedelta(days=120),
            },
        )[0]
        for n in range(CAMPAIGNS)
    ]
    stages = {campaign.pk: stages_ensure_defaults(campaign=campaign) for campaign in campaigns}
    # Done tasks leave My tasks a week after their last update, and "overdue" and "this week"
    # move with the date: the tasks are made again when the day changed.
    made_on = Task.objects.filter(campaign__in=campaigns).values_list("created_at__date", flat=True).first()
    per_user = Task.objects.filter(campaign__in=campaigns, responsible__in=staff).count()
    if per_user == users * tasks_per_user and made_on == timezone.localdate():
        return
    Task.objects.filter(campaign__in=campaigns).delete()
    rows = []
    for person in staff:
        for n in range(tasks_per_user):
            campaign = campaigns[n % CAMPAIGNS]
            kind = n % 10
            if kind in (0, 1):  # overdue
                due, status = today - timedelta(days=1 + n % 5), TaskStatus.IN_PROGRESS
            elif kind == 2:
                due, status = today + timedelta(days=3 + n % 20), TaskStatus.BLOCKED
            elif kind == 3:
                due, status = today + timedelta(days=n % 20), TaskStatus.DONE
            elif kind in (4, 5, 6):  # this week
                due, status = today + timedelta(days=n % 7), TaskStatus.values[n % 2]
            else:
                due, status = today + timedelta(days=8 + n % 60), TaskStatus.values[n % 2]
            rows.append(
                Task(
                    campaign=campaign,
                    stage=stages[campaign.pk][n % len(stages[campaign.pk])],
                    name=f"任务 {person.username[-3:]}-{n:03}",
                    description="基准任务",
                    responsible=person,
                    accountable=manager,
                    due_date=due,
                    status=status,
                    progress=100 if status == TaskStatus.DONE else (n * 5) % 100,
                )
            )
    tasks = Task.objects.bulk_create(rows, batch_size=1000)
    now = timezone.now()
    StatusUpdate.objects.bulk_create(
        (
            StatusUpdate(
                task=task,
                author=task.responsible,
                created_at=now - timedelta(days=1),
                old_status=TaskStatus.NOT_STARTED,
                new_status=task.status,
                progress=task.progress,
                note="阻塞原因：等待素材" if task.status == TaskStatus.BLOCKED else "昨天的进展",
            )
            for task in tasks
        ),
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"made {len(tasks):,} tasks for {len(staff)} staff members")


# Load -----------------------------------------------------------------------------------------


class Client:
    """One user's keep-alive connection, with their cookies."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + path,
            }
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed a kept-alive connection between two requests (a sync worker
                # closes after each response): open a new one, as a browser does.
                self.connection.close()
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, content

    def login(self, username: str) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        token = CSRF_INPUT.search(page).group(1).decode()
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login of {username} failed: {status}")


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.samples: list[str] = []

    def add(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.samples) < 5:
                    self.samples.append(f"{kind}: {detail}")


def timed(recorder: Recorder, kind: str, client: Client, method: str, path: str, check, **kwargs):
    start = time.perf_counter()
    try:
        status, _, content = client.request(method, path, **kwargs)
    except Exception as exc:  # a failed request is an error of the run, not the end of it
        recorder.add(kind, time.perf_counter() - start, False, repr(exc))
        return None
    seconds = time.perf_counter() - start
    ok = status == 200 and check(content)
    recorder.add(kind, seconds, ok, f"{status} {content[:200]!r}")
    return content if ok else None


def floor_user(port: int, recorder: Recorder, stop: threading.Event, start: threading.Barrier):
    client = Client(port)
    start.wait()
    while not stop.is_set():
        timed(recorder, "GET login page", client, "GET", "/accounts/login/", lambda c: b"csrfmiddlewaretoken" in c)


def journey_user(client: Client, recorder: Recorder, stop, start, think: float, rng: random.Random):
    start.wait()
    n = 0
    while not stop.is_set():
        page = timed(recorder, "GET My tasks", client, "GET", "/my-tasks/", lambda c: b'id="task-' in c)
        if page is None:
            time.sleep(0.1)
            continue
        # The open cards (a done card has no slider to move): their ids and statuses.
        cards = [
            (CARD.search(card).group(1), CARD_STATUS.search(card).group(1))
            for card in page.split(b"<article")[1:]
            if CARD_STATUS.search(card)
        ]
        token = CSRF_INPUT.search(page).group(1).decode()
        if think:
            time.sleep(think)
        task_id, status = cards[rng.randrange(len(cards))]
        n += 1
        timed(
            recorder,
            "POST status change",
            client,
            "POST",
            f"/tasks/{task_id.decode()}/status/",
            lambda c, card=b'id="task-' + task_id: b"Saved" in c and card in c,
            body={
                "csrfmiddlewaretoken": token,
                "next": "/my-tasks/",
                "progress": str(rng.randrange(0, 101, 5)),
                "note": f"进展 {n}：素材已提交，等待审核",
                "status": NEXT_STATUS[status],
            },
            headers={"HX-Request": "true", "HX-Target": f"task-{task_id.decode()}", "HX-Current-URL": "/my-tasks/"},
        )
        if think:
            time.sleep(think)


def healthz_probe(port: int, recorder: Recorder, stop: threading.Event, interval: float = 0.1):
    client = Client(port)
    while not stop.is_set():
        timed(recorder, "GET /healthz (probe)", client, "GET", "/healthz", lambda c: b'"status": "ok"' in c)
        stop.wait(interval)


# CPU -----------------------------------------------------------------------------------------


def process_cpu(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy() -> float:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def gunicorn_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [master, *map(int, children)]


def run_round(name, port, master, users, seconds, target, extra=()):
    recorder = Recorder()
    stop = threading.Event()
    start = threading.Barrier(users + 1)
    threads = [threading.Thread(target=target(i, recorder, stop, start), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    start.wait()
    probes = [threading.Thread(target=probe, args=(port, recorder, stop), daemon=True) for probe in extra]
    for probe in probes:
        probe.start()
    pids = gunicorn_pids(master)
    cpu0, server0, busy0, wall0 = time.process_time(), process_cpu(pids), machine_busy(), time.perf_counter()
    time.sleep(seconds)
    stop.set()
    cpu1, server1, busy1, wall1 = time.process_time(), process_cpu(pids), machine_busy(), time.perf_counter()
    for thread in threads + probes:
        thread.join(35)
    wall = wall1 - wall0
    return {
        "name": name,
        "recorder": recorder,
        "wall": wall,
        "generator_cpu": (cpu1 - cpu0) / wall,
        "server_cpu": (server1 - server0) / wall,
        "machine_cpu": (busy1 - busy0) / wall,
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent users (default 20)")
    parser.add_argument("--tasks", type=int, default=40, help="tasks each user is Responsible for (default 40)")
    parser.add_argument("--seconds", type=float, default=20, help="length of each round (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="floor and journey rounds, interleaved (default 3)")
    parser.add_argument("--think", type=float, default=0.0, help="seconds between a user's requests (default 0)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4, as README's deploy)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (more than 1: gthread)")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/tracker_bench_journey"
        )
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")
    prepare(url, args.users, args.tasks)

    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
    }
    env.pop("DEBUG", None)
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers)]
    if args.threads > 1:
        command += ["--threads", str(args.threads)]
    log = open(ROOT / "var" / "journey_gunicorn.log", "w")  # noqa: SIM115 - closed with the server
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, _ = Client(port).request("GET", "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit(f"gunicorn did not answer /healthz: see {log.name}")
            time.sleep(0.3)
        measure(args, port, server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        log.close()


def measure(args, port: int, master: int) -> None:
    # Sign everyone in once (PBKDF2 is the login's cost, paid once a morning, not per request).
    clients = []
    for n in range(args.users):
        client = Client(port)
        client.login(f"journey-staff-{n:03}")
        clients.append(client)
    # Warm every worker up (templates, translations, connections) before anything is timed.
    for client in clients:
        client.request("GET", "/my-tasks/")
    idle = Recorder()
    probe = Client(port)
    for _ in range(30):
        timed(idle, "GET /healthz (idle)", probe, "GET", "/healthz", lambda c: b'"status": "ok"' in c)
        time.sleep(0.02)

    def floor_target(i, recorder, stop, start):
        return lambda: floor_user(port, recorder, stop, start)

    def journey_target(i, recorder, stop, start):
        rng = random.Random(i)
        return lambda: journey_user(clients[i], recorder, stop, start, args.think, rng)

    rounds = []
    for _ in range(args.rounds):
        rounds.append(run_round("floor", port, master, args.users, args.seconds, floor_target))
        rounds.append(run_round("journey", port, master, args.users, args.seconds, journey_target, [healthz_probe]))

    worker_kind = f"gthread, {args.threads} threads each" if args.threads > 1 else "sync"
    print(
        f"journey_load: {args.users} users, {args.tasks} tasks each, think {args.think:g} s, gunicorn "
        f"{args.workers} workers ({worker_kind}), {os.cpu_count()} CPUs, {args.rounds} rounds of {args.seconds:g} s"
    )

    def median_of(name, fn):
        return statistics.median(fn(r) for r in rounds if r["name"] == name)

    kinds = {
        "floor": ["GET login page"],
        "journey": ["GET My tasks", "POST status change", "GET /healthz (probe)"],
    }
    for name in ("floor", "journey"):
        for kind in kinds[name]:

            def rate(r, kind=kind):
                return len(r["recorder"].times.get(kind, [])) / r["wall"]

            def pct(fraction, kind=kind, name=name):
                return median_of(name, lambda one: percentile(one["recorder"].times.get(kind, []), fraction)) * 1000

            errors = sum(r["recorder"].errors.get(kind, 0) for r in rounds if r["name"] == name)
            count = sum(len(r["recorder"].times.get(kind, [])) for r in rounds if r["name"] == name)
            print(
                f"  {name:7} {kind:22} {median_of(name, rate):7.1f} req/s  p50 {pct(0.5):6.1f}  p95 {pct(0.95):6.1f}  "
                f"p99 {pct(0.99):6.1f} ms  errors {errors}/{count}"
            )
    idle_times = idle.times["GET /healthz (idle)"]
    print(f"  idle    GET /healthz             p50 {percentile(idle_times, 0.5) * 1000:6.1f} ms (30 probes)")

    def total_rate(r):
        return sum(len(r["recorder"].times.get(k, [])) for k in ("GET My tasks", "POST status change")) / r["wall"]

    floor_rate = median_of("floor", lambda r: len(r["recorder"].times["GET login page"]) / r["wall"])
    journey_rate = median_of("journey", total_rate)
    p95 = median_of(
        "journey",
        lambda r: percentile(r["recorder"].times["GET My tasks"] + r["recorder"].times["POST status change"], 0.95),
    )
    healthz = median_of("journey", lambda r: percentile(r["recorder"].times["GET /healthz (probe)"], 0.5))
    errors = sum(sum(r["recorder"].errors.values()) for r in rounds)
    print(
        f"  journey {journey_rate:.1f} req/s ({journey_rate / 2:.1f} journeys/s) / floor {floor_rate:.1f} req/s = "
        f"{journey_rate / floor_rate:.2f}   (goal >= 0.5)"
    )
    print(
        f"  journey p95 {p95 * 1000:.0f} ms (goal < 500), /healthz p50 under load {healthz * 1000:.1f} ms (goal < 20), "
        f"errors {errors} (goal 0)"
    )
    for name in ("floor", "journey"):
        generator, server = median_of(name, lambda r: r["generator_cpu"]), median_of(name, lambda r: r["server_cpu"])
        machine, load = median_of(name, lambda r: r["machine_cpu"]), median_of(name, lambda r: r["load"])
        print(
            f"  CPU, {name:7}: generator {generator:.2f}, gunicorn {server:.2f}, whole machine {machine:.2f} "
            f"of {os.cpu_count()} cores; load {load:.1f}"
        )
    for r in rounds:
        for sample in r["recorder"].samples[:2]:
            print(f"  error sample ({r['name']}): {sample}")


if __name__ == "__main__":
    main()
