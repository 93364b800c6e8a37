"""The fault suite (`make faults`): starts its own PostgreSQL and Redis, web, worker and beat,
injects each fault of issue 10 and checks that no alert, notification or delivery is lost or
doubled, that every pending delivery is sent after recovery, and that pages answer 200 or a
clear 503 during the fault (never a 500) and 200 after. Prints figures per fault; exits 1 if
any fault broke a promise.

    .venv/bin/python bench/faults/run.py [--only NAME ...] [--keep]
"""

import argparse
import email
import os
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import itertools

from bench.faults.harness import (
    BASE_DIR,
    PG_BIN,
    PostgreSQL,
    Prober,
    Processes,
    Receiver,
    Redis,
    make_root,
    remove_root,
    wait_for,
)

# Short enough for a suite of a few minutes, the same mechanisms as in production.
MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 2
SEND_TIMEOUT_SECONDS = 2
SLOW_SECONDS = 5
HEARTBEAT_SECONDS = 3
VISIBILITY_TIMEOUT_SECONDS = 30
DELIVERY_MAX_AGE_HOURS = 24


@dataclass
class Figures:
    name: str
    expected: int = 0
    sent: int = 0
    duplicates: int = 0
    lost: int = 0
    errors_500: int = 0
    no_answer: int = 0
    answers_503: int = 0
    recovery_seconds: float | None = None
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def check(self, condition: bool, failure: str):
        if not condition:
            self.failures.append(failure)


class Suite:
    def __init__(self, root: Path):
        self.root = root
        self.pg = PostgreSQL(root)
        self.redis = Redis(root)
        self.receiver = Receiver(slow_seconds=SLOW_SECONDS)
        (root / "mail").mkdir()
        self.database = "tracker"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(BASE_DIR),
            "DJANGO_SETTINGS_MODULE": "bench.faults.settings",
            "FAULTS_MAIL_DIR": str(root / "mail"),
            "FAULTS_BEAT_SCHEDULE": str(root / "beat-schedule"),
            "FAULTS_SWEEP_SECONDS": "3",
            "FAULTS_CHECK_QUERY_DELAY": "0.03",
            "HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
            # The suite asks for checks itself; beat's own check would blur the figures.
            "THRESHOLD_CHECK_MINUTES": "600",
            "DELIVERY_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
            "DELIVERY_RETRY_BACKOFF_SECONDS": str(BACKOFF_SECONDS),
            "DELIVERY_TIMEOUT_SECONDS": str(SEND_TIMEOUT_SECONDS),
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT_SECONDS),
            # Limits below the visibility timeout, as production's are below its 900 s.
            "CELERY_TASK_SOFT_TIME_LIMIT": "15",
            "CELERY_TASK_TIME_LIMIT": "20",
            "DELIVERY_LEASE_SECONDS": "15",
            "DELIVERY_MAX_AGE_HOURS": str(DELIVERY_MAX_AGE_HOURS),
            "LOG_LEVEL": "INFO",
        }
        self.processes = None

    # Set-up ------------------------------------------------------------------------------

    def point_at(self, database: str):
        self.database = database
        self.env.update(DATABASE_URL=self.pg.url(database), REDIS_URL=self.redis.url(0))
        os.environ.update(self.env)

    def start(self):
        self.pg.start()
        self.redis.start()
        self.pg.psql("CREATE DATABASE tracker")
        self.point_at("tracker")
        self.manage("migrate", "--noinput")
        import django

        django.setup()
        self.processes = Processes(self.root, self.env)
        for name in ("web", "worker", "beat"):
            self.processes.start(name)
        self.wait_healthy(60)
        self.prober = self.make_prober()

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env, check=True, capture_output=True, text=True
        )

    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.processes.web_port}"

    def wait_healthy(self, timeout: float):
        probe = Prober(self.base_url(), "", 0)
        wait_for(lambda: probe.ask("/healthz") == 200, timeout, what="/healthz 200")

    def make_prober(self) -> Prober:
        from django.test import Client

        from tests.factories import TaskFactory, UserFactory

        staff = UserFactory(username="prober")
        self.task = TaskFactory(responsible=staff)
        client = Client()
        client.force_login(staff)
        return Prober(self.base_url(), client.cookies["sessionid"].value, self.task.pk)

    # Data and observations ----------------------------------------------------------------

    def breaches(self, tag: str, count: int, mode: str = "ok") -> list[str]:
        """`count` campaigns, each with an overdue task, a threshold on overdue tasks and a chat
        group at the receiver: a check opens one alert each, telling the owner (e-mail) and the
        chat group. Returns the chat groups' paths."""
        from django.db import connection

        from tests.factories import CampaignFactory, ChatWebhookFactory, TaskFactory
        from tracking.models import ThresholdKind
        from tracking.services.thresholds import threshold_create

        connection.close()
        paths = []
        for number in range(count):
            campaign = CampaignFactory(name=f"{tag} {number}")
            TaskFactory(stage__campaign=campaign)
            path = f"/{mode}/{tag}/{number}"
            ChatWebhookFactory(name=f"{tag} {number}", kind="generic", url=self.receiver.url + path, scope=campaign)
            threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)
            paths.append(path)
        return paths

    def state(self, tag: str) -> dict:
        """Alerts, notifications and deliveries of the campaigns named `tag …`."""
        from django.db import connection
        from django.db.models import Count

        from notifications.models import Delivery, Notification
        from tracking.models import Alert

        connection.close()
        alerts = Alert.objects.filter(threshold__campaign__name__startswith=f"{tag} ")
        per_threshold = alerts.values("threshold").annotate(n=Count("pk"))
        ids = list(alerts.values_list("pk", flat=True))
        deliveries = Delivery.objects.filter(
            subject_type__model="alert", subject_id__in=ids, kind="alert_opened"
        ).values_list("state", flat=True)
        return {
            "alerts": len(ids),
            "doubled_alerts": sum(1 for row in per_threshold if row["n"] > 1),
            "notifications": Notification.objects.filter(subject_type__model="alert", subject_id__in=ids).count(),
            "deliveries": list(deliveries),
        }

    def email_duplicates(self) -> int:
        seen: dict[tuple[str, str], int] = {}
        for path in (self.root / "mail").glob("*.log"):
            for raw in path.read_text(errors="replace").split("-" * 79):
                if not raw.strip():
                    continue
                message = email.message_from_string(raw.strip())
                key = (message.get("To", ""), message.get("Subject", ""))
                seen[key] = seen.get(key, 0) + 1
        return sum(count - 1 for count in seen.values() if count > 1)

    def publish_check(self):
        from config.celery import app

        app.send_task("tracking.check_thresholds")

    def settle(self, figures: Figures, tag: str, paths: list[str], count: int, *, timeout: float, since: float):
        """Wait until every alert of `tag` is open and each of its chat messages arrived once;
        then fill in the figures."""

        def done():
            state = self.state(tag)
            hits = self.receiver.count(f"/ok/{tag}/")
            return (
                state["alerts"] >= count
                and all(s == "sent" for s in state["deliveries"])
                and len(hits) >= len([p for p in paths if p.startswith("/ok/")])
            )

        try:
            wait_for(done, timeout, interval=0.5, what=f"{tag}: every alert open and every message sent")
            figures.recovery_seconds = round(time.monotonic() - since, 1)
        except TimeoutError as error:
            figures.failures.append(str(error))
        self.tally(figures, tag, paths, count)

    def tally(self, figures: Figures, tag: str, paths: list[str], count: int):
        state = self.state(tag)
        hits = self.receiver.count(f"/ok/{tag}/")
        figures.expected += len(state["deliveries"]) if state["alerts"] >= count else count * 2
        figures.sent += sum(1 for s in state["deliveries"] if s == "sent")
        figures.duplicates += sum(n - 1 for n in hits.values() if n > 1) + state["doubled_alerts"]
        ok_paths = [p for p in paths if p.startswith("/ok/")]
        figures.lost += sum(1 for p in ok_paths if hits.get(p, 0) == 0) + max(0, count - state["alerts"])
        figures.check(state["alerts"] == count, f"{tag}: {state['alerts']} alerts for {count} breaches")
        figures.check(state["doubled_alerts"] == 0, f"{tag}: {state['doubled_alerts']} thresholds with two alerts")
        figures.check(all(n == 1 for n in hits.values()), f"{tag}: chat messages received {dict(hits)}")

    def answers(self, figures: Figures, answers, *, after: float | None = None):
        for _at, what, code in answers:
            if code >= 500 and code != 503:
                figures.errors_500 += 1
                figures.notes.append(f"{what} answered {code}")
            elif code == 503:
                figures.answers_503 += 1
            elif code == 0:
                figures.no_answer += 1
        figures.check(figures.errors_500 == 0, f"{figures.errors_500} answers were 500")

    def pages_after(self, figures: Figures):
        # The status change's answer is a redirect (302) that urllib follows to the task: 200.
        asked = self.prober.round()
        figures.check(all(code == 200 for _what, code in asked), f"after recovery: {asked}")
        figures.errors_500 += sum(1 for _what, code in asked if code >= 500 and code != 503)

    def stop(self):
        if self.processes:
            self.processes.stop_all()
        self.redis.stop()
        self.pg.stop()


# The faults ----------------------------------------------------------------------------------


def worker_killed_mid_check(suite: Suite) -> Figures:
    figures = Figures("worker kill -9 mid-check")
    paths = suite.breaches("kill", 12)
    wait_for(lambda: " ready." in suite.processes.log("worker"), 120, what="the worker ready")
    mark = len(suite.processes.log("worker"))
    suite.publish_check()
    wait_for(lambda: "tracking.check_thresholds[" in suite.processes.log("worker")[mark:], 60, what="check started")
    time.sleep(1.0)
    suite.processes.kill("worker")
    opened = suite.state("kill")["alerts"]
    figures.notes.append(f"{opened} of 12 alerts open when the worker was killed")
    killed_at = time.monotonic()
    suite.processes.start("worker")
    # Kombu puts an unacknowledged message back once it is older than the visibility timeout,
    # when a worker next looks for such messages: allow a few timeouts, and the check's own run.
    suite.settle(figures, "kill", paths, 12, timeout=4 * VISIBILITY_TIMEOUT_SECONDS + 60, since=killed_at)
    suite.pages_after(figures)
    return figures


def redis_stopped(suite: Suite) -> Figures:
    figures = Figures("Redis stopped 20 s")
    paths = suite.breaches("redis", 5)
    suite.prober.start()
    suite.redis.stop()
    down_at = time.monotonic()
    # With the broker down beat cannot publish: the check runs in the foreground, as the
    # check_thresholds command would; its publishes fail and the deliveries wait in the outbox.
    suite.manage("check_thresholds")
    time.sleep(max(0.0, 20 - (time.monotonic() - down_at)))
    suite.redis.start()
    back_at = time.monotonic()
    suite.settle(figures, "redis", paths, 5, timeout=90, since=back_at)
    suite.answers(figures, suite.prober.stop())
    suite.pages_after(figures)
    return figures


def postgresql_restarted(suite: Suite) -> Figures:
    figures = Figures("PostgreSQL restarted")
    paths = suite.breaches("pgrestart", 5)
    suite.prober.start()
    time.sleep(1)
    suite.publish_check()
    time.sleep(0.5)
    suite.pg.restart()
    back_at = time.monotonic()
    time.sleep(3)
    suite.answers(figures, suite.prober.stop())
    # The check met the restart: its retry (backoff of up to a minute) opens the alerts.
    suite.settle(figures, "pgrestart", paths, 5, timeout=150, since=back_at)
    suite.pages_after(figures)
    return figures


def two_checks_at_once(suite: Suite) -> Figures:
    figures = Figures("two checks at once ×3")
    for round_ in range(3):
        tag = f"twice{round_}"
        paths = suite.breaches(tag, 4)
        started = time.monotonic()
        suite.publish_check()
        suite.publish_check()
        suite.settle(figures, tag, paths, 4, timeout=60, since=started)
    suite.pages_after(figures)
    return figures


def slow_and_failing_webhooks(suite: Suite) -> Figures:
    figures = Figures("slow and failing webhooks")
    slow = suite.breaches("slow", 2, mode="slow")
    failing = suite.breaches("fail", 2, mode="fail")
    healthy = suite.breaches("healthy", 4)
    started = time.monotonic()
    suite.publish_check()
    suite.settle(figures, "healthy", healthy, 4, timeout=60, since=started)
    figures.notes.append(f"healthy messages all in {figures.recovery_seconds}s beside the slow and failing ones")
    figures.check(
        (figures.recovery_seconds or 999) < 30, "healthy messages waited behind the slow endpoint (over 30 s)"
    )
    # The slow and failing ones end sent or failed, each after at most MAX_ATTEMPTS requests,
    # spaced by the backoff.
    from notifications.models import Delivery, DeliveryState

    def finished():
        return (
            not Delivery.objects.filter(
                webhook__url__startswith=suite.receiver.url + "/slow/", state=DeliveryState.PENDING
            ).exists()
            and not Delivery.objects.filter(
                webhook__url__startswith=suite.receiver.url + "/fail/", state=DeliveryState.PENDING
            ).exists()
        )

    schedule = [BACKOFF_SECONDS * 2**n for n in range(MAX_ATTEMPTS)]
    try:
        wait_for(finished, sum(schedule) + MAX_ATTEMPTS * (SLOW_SECONDS + 5) + 30, interval=1, what="slow/failing end")
    except TimeoutError as error:
        figures.failures.append(str(error))
    for path in slow + failing:
        times = suite.receiver.times(path)
        gaps = [round(b - a, 1) for a, b in itertools.pairwise(times)]
        figures.notes.append(f"{path}: {len(times)} requests, gaps {gaps}")
        figures.check(len(times) <= MAX_ATTEMPTS, f"{path}: {len(times)} requests for one message")
        if path.startswith("/fail/"):
            figures.check(len(times) == MAX_ATTEMPTS, f"{path}: {len(times)} attempts, not {MAX_ATTEMPTS}")
        short = [gap for gap, due in zip(gaps, schedule, strict=False) if gap < 0.5 * due]
        figures.check(not short, f"{path}: attempts closer than the backoff ({gaps} against {schedule[:-1]})")
        bodies = [body for _at, body in suite.receiver.requests.get(path, [])]
        keys = {body.get("idempotency_key") or body.get("message_id") or body.get("delivery_id") for body in bodies}
        figures.notes.append(f"{path}: idempotency key {'present' if None not in keys else 'absent'}")
    figures.sent += Delivery.objects.filter(
        state="sent", webhook__url__startswith=suite.receiver.url + "/slow/"
    ).count()
    suite.pages_after(figures)
    return figures


def concurrent_status_changes(suite: Suite) -> Figures:
    from tasks.models import StatusUpdate

    figures = Figures("20 concurrent status changes")
    before = StatusUpdate.objects.filter(task=suite.task).count()
    codes = []

    def change(number):
        status = ["in_progress", "blocked", "in_progress", "done"][number % 4]
        codes.append(
            suite.prober.ask(
                f"/tasks/{suite.task.pk}/status/", {"status": status, "progress": str(number), "note": f"n{number}"}
            )
        )

    threads = [threading.Thread(target=change, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    suite.answers(figures, [(0, "POST status", code) for code in codes])
    after = StatusUpdate.objects.filter(task=suite.task).count()
    suite.task.refresh_from_db()
    last = StatusUpdate.objects.filter(task=suite.task).order_by("-pk").first()
    figures.notes.append(f"answers {sorted(codes)}; {after - before} status updates recorded")
    figures.check(last is None or last.new_status == suite.task.status, "the task's status is not its last update's")
    figures.check(all(code in (200, 503) for code in codes), f"answers {sorted(set(codes))}")
    suite.pages_after(figures)
    return figures


def database_read_only(suite: Suite) -> Figures:
    figures = Figures("database read-only 20 s")
    paths = suite.breaches("readonly", 3)
    suite.pg.psql(f"ALTER DATABASE {suite.database} SET default_transaction_read_only = on")
    suite.pg.psql(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{suite.database}' "
        "AND pid <> pg_backend_pid()"
    )
    suite.prober.start()
    suite.publish_check()
    time.sleep(20)
    answers = suite.prober.stop()
    health = [code for _at, what, code in answers if what == "GET /healthz"]
    posts = [code for _at, what, code in answers if what == "POST status"]
    figures.check(health and all(code == 503 for code in health), f"/healthz while read-only: {set(health)}")
    figures.check(posts and all(code == 503 for code in posts), f"status changes while read-only: {set(posts)}")
    suite.pg.psql(f"ALTER DATABASE {suite.database} RESET default_transaction_read_only")
    suite.pg.psql(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{suite.database}' "
        "AND pid <> pg_backend_pid()"
    )
    back_at = time.monotonic()
    suite.answers(figures, answers)
    suite.settle(figures, "readonly", paths, 3, timeout=150, since=back_at)
    suite.pages_after(figures)
    return figures


def backup_restored(suite: Suite) -> Figures:
    """Alerts opened while nothing sends (worker and beat stopped); one delivery is days old.
    The dump restored into an empty database, with Redis emptied, sends the fresh ones once
    and never the old one."""
    from notifications.models import Delivery
    from tracking.models import Alert

    figures = Figures("backup restored")
    for name in ("worker", "beat"):
        suite.processes.kill(name)
    paths = suite.breaches("backup", 3)
    suite.manage("check_thresholds")
    alert_ids = list(Alert.objects.filter(threshold__campaign__name__startswith="backup ").values_list("pk", flat=True))
    old = Delivery.objects.filter(subject_id__in=alert_ids, subject_type__model="alert", webhook__isnull=False).first()
    Delivery.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(days=3))
    dump = suite.root / "tracker.dump"
    subprocess.run(
        [PG_BIN / "pg_dump", "--format=custom", "--no-owner", f"--file={dump}", suite.pg.url(suite.database)],
        check=True,
    )
    suite.processes.stop_all()
    subprocess.run(
        [PG_BIN / "psql", "-X", "-q", "-c", "CREATE DATABASE restored", suite.pg.url("postgres")], check=True
    )
    subprocess.run(
        [PG_BIN / "pg_restore", "--no-owner", "--exit-on-error", f"--dbname={suite.pg.url('restored')}", dump],
        check=True,
    )
    subprocess.run(["redis-cli", "-p", str(suite.redis.port), "FLUSHALL"], check=True, capture_output=True)
    suite.point_at("restored")
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = "restored"
    suite.manage("migrate", "--check")
    restored_at = time.monotonic()
    for name in ("web", "worker", "beat"):
        suite.processes.start(name)
    suite.wait_healthy(60)
    old_path = old.webhook.url.removeprefix(suite.receiver.url)
    fresh = [path for path in paths if path != old_path]

    def done():
        from notifications.models import DeliveryState

        connection.close()
        hits = suite.receiver.count("/ok/backup/")
        pending = Delivery.objects.filter(
            subject_id__in=alert_ids, subject_type__model="alert", state=DeliveryState.PENDING
        )
        return all(hits.get(path) for path in fresh) and not pending.exists()

    try:
        wait_for(done, 60, interval=0.5, what="restored deliveries sent or expired")
        figures.recovery_seconds = round(time.monotonic() - restored_at, 1)
    except TimeoutError as error:
        figures.failures.append(str(error))
    hits = suite.receiver.count("/ok/backup/")
    old.refresh_from_db()
    figures.notes.append(f"the 3-day-old delivery ended {old.state!r}, sent {hits.get(old_path, 0)} times")
    figures.check(hits.get(old_path, 0) == 0, "a 3-day-old delivery was sent after the restore")
    figures.check(old.state == "expired", f"the 3-day-old delivery is {old.state!r}, not expired")
    figures.check(all(hits.get(path) == 1 for path in fresh), f"fresh messages after the restore: {dict(hits)}")
    figures.sent = sum(1 for path in fresh if hits.get(path))
    figures.expected = len(fresh)
    figures.duplicates = sum(n - 1 for n in hits.values() if n > 1)
    figures.lost = sum(1 for path in fresh if not hits.get(path))
    suite.pages_after(figures)
    return figures


IMPORT_ROWS = 3000


def import_killed_at_each_step(suite: Suite) -> Figures:
    """The web worker dies (SIGKILL) at each step of a metric-value import of 3,000 rows: nothing
    of it is saved unless it was committed, no lock or transaction is left behind, and the same
    file imported again afterwards records each value once."""
    from django.db import connection
    from django.utils import timezone

    from bench.faults.import_kill import STEPS
    from plans.models import MetricValue, ValueSource

    figures = Figures("import killed at each step")
    campaign = suite.task.stage.campaign
    today = timezone.localdate()
    lines = ["date,metric,channel,value"]
    for number in range(IMPORT_ROWS):
        day = today - timedelta(days=1 + number // 2)
        lines.append(f"{day.isoformat()},units_sold,{'ecommerce' if number % 2 else 'stores'},{number + 1}")
    body = ("\n".join(lines) + "\n").encode()
    path = f"/campaigns/{campaign.pk}/metrics/import/"

    def imported() -> int:
        connection.close()
        return MetricValue.objects.filter(campaign=campaign, source=ValueSource.IMPORT).count()

    def left_in_transaction() -> int:
        rows = suite.pg.psql(
            f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{suite.database}' "
            "AND state LIKE 'idle in transaction%'"
        )
        return int(rows.split()[0]) if rows.split() else 0

    for step in STEPS:
        code = suite.prober.upload(path, "values.csv", body, headers={"X-Faults-Kill-At": step})
        expected = IMPORT_ROWS if step == "after-commit" else 0
        # The dead worker's connection is closed by the kernel; PostgreSQL notices at once.
        try:
            wait_for(lambda: left_in_transaction() == 0, 10, what="no session left idle in transaction")
        except TimeoutError as error:
            figures.failures.append(f"killed at {step}: {error}")
        count = imported()
        figures.notes.append(f"killed at {step}: answer {code}, {count} of {IMPORT_ROWS} values saved")
        figures.check(code in (0, 502), f"killed at {step}: answered {code}, not a dropped connection")
        figures.check(count == expected, f"killed at {step}: {count} values saved, expected {expected}")
        suite.answers(figures, [(0, f"import killed at {step}", code)])
        suite.wait_healthy(30)
    since = time.monotonic()
    code = suite.prober.upload(path, "values.csv", body)
    figures.recovery_seconds = round(time.monotonic() - since, 1)
    count = imported()
    figures.expected, figures.sent = IMPORT_ROWS, count
    figures.duplicates = max(0, count - IMPORT_ROWS)
    figures.lost = max(0, IMPORT_ROWS - count)
    figures.notes.append(f"imported again: answer {code}, {count} values (each once)")
    figures.check(code == 200, f"the import again answered {code}")
    figures.check(count == IMPORT_ROWS, f"after the import again: {count} values, expected {IMPORT_ROWS}")
    suite.pages_after(figures)
    return figures


FAULTS = {
    "kill": worker_killed_mid_check,
    "redis": redis_stopped,
    "pgrestart": postgresql_restarted,
    "twice": two_checks_at_once,
    "webhooks": slow_and_failing_webhooks,
    "status": concurrent_status_changes,
    "readonly": database_read_only,
    "import": import_killed_at_each_step,
    "backup": backup_restored,
}


def row(f: Figures) -> str:
    recovery = f"{f.recovery_seconds:.1f}s" if f.recovery_seconds is not None else "-"
    verdict = "ok" if not f.failures else "FAILED"
    return (
        f"{f.name:32} {f.sent:>5} {f.duplicates:>4} {f.lost:>5} {f.errors_500:>5} {f.answers_503:>5} "
        f"{f.no_answer:>5} {recovery:>9}  {verdict}"
    )


def report(results: list[Figures]) -> bool:
    print()
    header = (
        f"{'fault':32} {'sent':>5} {'dup':>4} {'lost':>5} {'500s':>5} {'503s':>5} {'none':>5} {'recovery':>9}  verdict"
    )
    print(header)
    print("-" * len(header))
    for f in results:
        print(row(f))
    print()
    for f in results:
        for note in f.notes:
            print(f"  {f.name}: {note}")
        for failure in f.failures:
            print(f"  {f.name}: FAILED {failure}")
    return all(not f.failures for f in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=list(FAULTS), help="run only these faults")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs)")
    options = parser.parse_args()
    root = make_root()
    suite = Suite(root)
    results = []
    started = time.monotonic()
    try:
        suite.start()
        for name, fault in FAULTS.items():
            if options.only and name not in options.only:
                continue
            print(f"== {name}", flush=True)
            try:
                figures = fault(suite)
            except Exception:
                figures = Figures(name, failures=[traceback.format_exc(limit=3)])
            figures.email_duplicates = suite.email_duplicates()
            results.append(figures)
            print(f"   {'ok' if not figures.failures else 'FAILED'} {figures.failures}", flush=True)
            print(f"   {row(figures)}", flush=True)
    finally:
        suite.stop()
        if options.keep:
            print(f"logs in {root}")
        else:
            remove_root(root)
    duplicates = suite.email_duplicates() if options.keep else None
    passed = report(results)
    print(f"e-mails sent twice: {duplicates if duplicates is not None else 'see --keep'}")
    print(f"whole suite: {time.monotonic() - started:.0f}s")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
