"""The installation the fault suite breaks: its own PostgreSQL cluster and Redis on spare
ports in a temporary directory, web (gunicorn), a prefork Celery worker and beat as separate
processes, a webhook receiver that records every request, and a prober that asks pages."""

import glob
import http.cookiejar
import http.server
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PG_BIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])


def spare_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.25, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:
            value = None
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


class PostgreSQL:
    """A cluster of its own, run as the postgres user (initdb refuses root)."""

    def __init__(self, root: Path):
        self.dir = root / "pg"
        self.port = spare_port()
        self.dir.mkdir()
        postgres = pwd.getpwnam("postgres")
        os.chown(root, postgres.pw_uid, postgres.pw_gid)
        os.chown(self.dir, postgres.pw_uid, postgres.pw_gid)
        self._as_postgres([PG_BIN / "initdb", "-D", self.dir / "data", "-U", "postgres", "--auth=trust", "-E", "UTF8"])

    def _as_postgres(self, command, check=True):
        # No pipes: the server pg_ctl starts would inherit them and hold them open for ever.
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *map(str, command)],
            check=check,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )

    def _pg_ctl(self, action: str, *extra, check=True):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            [PG_BIN / "pg_ctl", "-D", self.dir / "data", "-o", options, "-l", self.dir / "log", "-w", *extra, action],
            check=check,
        )

    def start(self):
        self._pg_ctl("start")

    def stop(self):
        self._pg_ctl("stop", "-m", "fast", check=False)

    def restart(self):
        self._pg_ctl("restart", "-m", "fast")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        # An administrator's session: writable even when the database defaults to read-only.
        result = subprocess.run(
            [PG_BIN / "psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql, self.url(database)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PGOPTIONS": "-c default_transaction_read_only=off"},
        )
        return result.stdout.strip()


class Redis:
    def __init__(self, root: Path):
        self.port = spare_port()
        self.dir = root / "redis"
        self.dir.mkdir()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.dir,
            stdout=(self.dir / "log").open("a"),
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.port), 1).close() or True, 10, what="redis")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


class Receiver:
    """A chat-group endpoint: /ok/… answers 200, /slow/… after SLOW seconds, /fail/… 500.
    It records the time and body of every request, by path."""

    def __init__(self, slow_seconds: float):
        self.requests: dict[str, list[tuple[float, dict]]] = defaultdict(list)
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.requests[self.path].append((time.monotonic(), _json(body)))
                if self.path.startswith("/slow/"):
                    time.sleep(slow_seconds)
                status = 500 if self.path.startswith("/fail/") else 200
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"errcode": 0}' if status == 200 else b"{}")
                except OSError:
                    pass  # the sender gave up (its timeout)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", spare_port()), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def count(self, prefix: str) -> Counter:
        with self.lock:
            return Counter({path: len(hits) for path, hits in self.requests.items() if path.startswith(prefix)})

    def times(self, path: str) -> list[float]:
        with self.lock:
            return [at for at, _body in self.requests.get(path, [])]


def _json(body: bytes):
    try:
        return json.loads(body)
    except ValueError:
        return {}


class Processes:
    """web, worker and beat, each a process (group) of its own."""

    def __init__(self, root: Path, env: dict):
        self.root, self.env = root, env
        self.web_port = spare_port()
        self.procs: dict[str, subprocess.Popen] = {}

    def command(self, name: str) -> list[str]:
        python = sys.executable
        if name == "web":
            return [
                python, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.web_port}",
                "--workers", "2", "--threads", "4", "--timeout", "60", "--graceful-timeout", "5",
            ]  # fmt: skip
        if name == "worker":
            return [
                python, "-m", "celery", "-A", "config", "worker", "--pool", "prefork", "--concurrency", "2",
                "--loglevel", "INFO", "--without-mingle", "--without-gossip", "-n", "faults@%h",
            ]  # fmt: skip
        return [python, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO"]

    def start(self, name: str):
        log = (self.root / f"{name}.log").open("a")
        self.procs[name] = subprocess.Popen(
            self.command(name), cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill(self, name: str, sig=signal.SIGKILL):
        process = self.procs.get(name)
        if process and process.poll() is None:
            os.killpg(process.pid, sig)
            process.wait(30)

    def stop_all(self):
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM if name != "worker" else signal.SIGKILL)

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(errors="replace")


class Prober:
    """Asks pages (and posts status changes) over and over in a thread; counts answers."""

    def __init__(self, base_url: str, session_cookie: str, task_id: int):
        self.base_url, self.task_id = base_url, task_id
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.csrf = "f" * 32
        self.cookie = f"sessionid={session_cookie}; csrftoken={self.csrf}"
        self.answers: list[tuple[float, str, int]] = []
        self._stop = threading.Event()
        self._thread = None

    def ask(self, path: str, data: dict | None = None) -> int:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf}).encode() if data else None
        request = urllib.request.Request(self.base_url + path, data=body, headers={"Cookie": self.cookie})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0  # no answer at all

    def upload(self, path: str, name: str, content: bytes, headers: dict | None = None) -> int:
        """POST a file as a form's `file` field (multipart), as a browser's upload does."""
        boundary = "----faults" + "f" * 16
        body = b"".join(
            [
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'.encode(),
                self.csrf.encode() + b"\r\n",
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'.encode(),
                b"Content-Type: text/csv\r\n\r\n" + content + b"\r\n",
                f"--{boundary}--\r\n".encode(),
            ]
        )
        request = urllib.request.Request(
            self.base_url + path,
            data=body,
            headers={
                "Cookie": self.cookie,
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0  # no answer at all

    def round(self) -> list[tuple[str, int]]:
        status = f"/tasks/{self.task_id}/status/"
        asked = [
            ("GET /healthz", self.ask("/healthz")),
            ("GET /", self.ask("/")),
            ("GET /my-tasks/", self.ask("/my-tasks/")),
            ("GET /alerts/", self.ask("/alerts/")),
            ("POST status", self.ask(status, {"status": "in_progress", "progress": str(int(time.time()) % 90)})),
        ]
        now = time.monotonic()
        self.answers += [(now, what, code) for what, code in asked]
        return asked

    def _run(self):
        while not self._stop.is_set():
            self.round()
            self._stop.wait(0.3)

    def start(self):
        self.answers = []
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> list[tuple[float, str, int]]:
        self._stop.set()
        self._thread.join(60)
        return self.answers


def make_root() -> Path:
    return Path(tempfile.mkdtemp(prefix="tracker-faults-"))


def remove_root(root: Path):
    shutil.rmtree(root, ignore_errors=True)
