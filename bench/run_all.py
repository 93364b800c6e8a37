"""`make bench`: run benchmark scripts one after the other and keep their figures as text and
as JSON, so that runs can be compared from one to the next.

    .venv/bin/python bench/run_all.py [--database-url URL] [--out var/bench] [script.py ...]

Each script runs with DATABASE_URL set (the scripts that need their own database name it in
their documentation; this runner gives all of them the same one unless told otherwise). Its
output is printed as it comes and kept. At the end two files are written in --out, named by
the time the run started:

- `<time>.txt`: every script's output, as printed;
- `<time>.json`: the machine (CPUs, load average before and after), the commit, and for each
  script its exit code, seconds, output lines, and each line's figures — every number with its
  unit (ms, s, x, MB, KB, %, queries) in order, under the line's label (the text before its first
  number) — so that `jq '.scripts[].figures'` of two runs lines up.

A script that fails stops nothing: its exit code is recorded and the runner exits 1 at the end.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCRIPTS = ["import_metric_values.py", "tasks_bench.py", "thresholds_bench.py"]
# A number (1,234.5 or 1.2) and the unit right after it, if it is one we know.
FIGURE = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(ms|s|x|×|MB|KB|%|queries|query)?(?!\w)")


def figures(line: str) -> dict | None:
    """The line's label and its numbers with their units; None when it holds no number."""
    found = [
        {"value": float(number.replace(",", "")), "unit": (unit or "").replace("×", "x")}
        for number, unit in FIGURE.findall(line)
    ]
    if not found:
        return None
    first = FIGURE.search(line)
    label = line[: first.start()].strip(" :-=|") or line.strip()
    return {"label": label, "figures": found}


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def run(script: str, database_url: str) -> dict:
    began = time.perf_counter()
    environment = {**os.environ, "DATABASE_URL": database_url} if database_url else dict(os.environ)
    process = subprocess.Popen(
        [sys.executable, script],
        cwd=ROOT / "bench",
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
    code = process.wait()
    return {
        "script": script,
        "exit": code,
        "seconds": round(time.perf_counter() - began, 1),
        "output": lines,
        "figures": [found for line in lines if (found := figures(line))],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scripts", nargs="*", default=DEFAULT_SCRIPTS, help="scripts in bench/ to run")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--out", default=str(ROOT / "var" / "bench"), help="where the figures are written")
    options = parser.parse_args(argv)
    started = datetime.now(UTC)
    report = {
        "started": started.isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": {"cpus": os.cpu_count(), "load_before": round(os.getloadavg()[0], 2)},
        "scripts": [],
    }
    for script in options.scripts:
        print(f"== {script}", flush=True)
        report["scripts"].append(run(script, options.database_url))
    report["machine"]["load_after"] = round(os.getloadavg()[0], 2)
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = started.strftime("%Y%m%dT%H%M%SZ")
    (out / f"{stem}.txt").write_text(
        "".join(
            f"== {entry['script']}\n" + "".join(f"{line}\n" for line in entry["output"]) for entry in report["scripts"]
        ),
        encoding="utf-8",
    )
    (out / f"{stem}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"figures: {out / stem}.txt and .json")
    return 0 if all(entry["exit"] == 0 for entry in report["scripts"]) else 1


if __name__ == "__main__":
    sys.exit(main())
