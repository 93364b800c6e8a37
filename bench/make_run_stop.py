"""How long Ctrl-C takes to stop `make run`: honcho running Procfile.dev (web, worker and beat
on the filesystem broker), from SIGINT to honcho's exit, median of --runs.

    .venv/bin/python bench/make_run_stop.py --runs 5

Each run starts honcho with Procfile.dev on a free port, waits until the web server, the
worker and beat are ready, signals honcho's process group (what Ctrl-C in a terminal does)
and times its exit. Goal: under 2 seconds (it was about 7, ending in honcho's SIGKILL).
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY = ["Quit the server with", "ready.", "beat: Starting"]


def one_run(folder: Path) -> float:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    procfile = folder / "Procfile"
    procfile.write_text((ROOT / "Procfile.dev").read_text().replace("var/celerybeat-schedule", str(folder / "s")))
    log = folder / "honcho.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(ROOT / ".venv/bin/honcho"), "-f", str(procfile), "-d", str(ROOT), "start"],
            cwd=ROOT,
            env={**os.environ, "WEB_PORT": str(port)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    while not all(marker in log.read_text() for marker in READY):
        if process.poll() is not None:
            sys.exit(log.read_text()[-3000:])
        time.sleep(0.2)
    time.sleep(1)
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=60)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    took = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            folder = Path(tmp) / str(run)
            folder.mkdir()
            took.append(one_run(folder))
    print("Ctrl-C to exit of make run (s):", " ".join(f"{t:.2f}" for t in took))
    print(f"median {statistics.median(took):.2f} s, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
