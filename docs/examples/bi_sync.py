#!/usr/bin/env python3
"""Mirror the marketing tracker's API into a local SQLite file, incrementally and exactly.

Python's standard library only. Run it as often as you like (cron, a scheduled task); each run
resumes at the cursors the previous run saved:

    BI_TOKEN=<your read-only token> python3 bi_sync.py https://tracker.example.com mirror.sqlite3

Every list becomes a table ("campaigns", "metric-values"…) with the row's id, its change time
and the row as JSON; the deletions feed removes rows deleted in the product. See docs/bi.md,
"Incremental sync", for what the cursors guarantee.
"""

import json
import os
import sqlite3
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

# The lists a BI tool syncs, and the field each orders by (its change time).
RESOURCES = {
    "adjustments": "updated_at",
    "alerts": "updated_at",
    "assignments": "updated_at",
    "budget-lines": "updated_at",
    "campaigns": "updated_at",
    "channels": "updated_at",
    "departments": "updated_at",
    "follow-up-actions": "updated_at",
    "issues": "updated_at",
    "lessons": "updated_at",
    "metric-values": "recorded_at",
    "metrics": "updated_at",
    "milestones": "updated_at",
    "plan-items": "updated_at",
    "plans": "updated_at",
    "quarter-focus": "updated_at",
    "review-lines": "updated_at",
    "reviews": "updated_at",
    "stages": "updated_at",
    "status-updates": "updated_at",
    "targets": "updated_at",
    "tasks": "updated_at",
    "thresholds": "updated_at",
    "users": "updated_at",
    "weekly-logs": "updated_at",
}
PAGE_SIZE = 1000


def get(base_url: str, token: str, path: str, params: dict) -> dict:
    """One page; the token goes in the Authorization header, never in the address."""
    if not base_url.startswith(("https://", "http://")):
        raise ValueError("The base URL starts with https:// (or http:// on a test server).")
    address = f"{base_url.rstrip('/')}/api/v1/{path}/?{urllib.parse.urlencode(params)}"
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    request = urllib.request.Request(address, headers=headers)  # noqa: S310 - http(s) only, checked above
    for _attempt in range(5):
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - http(s) only
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code != 429:
                raise
            time.sleep(int(error.headers.get("Retry-After", "5")))  # the token's rate limit
    raise RuntimeError(f"{path}: still rate limited")


def walk(base_url: str, token: str, path: str, cursor: str | None):
    """Yield (rows, cursor) page by page, from a saved cursor or from the start."""
    params = {"page_size": PAGE_SIZE, **({"cursor": cursor} if cursor else {"sync": "1"})}
    while True:
        page = get(base_url, token, path, params)
        yield page["results"], page["cursor"]
        if page["next"] is None:
            return
        params = {"page_size": PAGE_SIZE, "cursor": page["cursor"]}


def sync(base_url: str, token: str, database: sqlite3.Connection) -> dict:
    """One incremental sync of every list, then the deletions; returns rows written and dropped."""
    database.execute("CREATE TABLE IF NOT EXISTS sync_state (name TEXT PRIMARY KEY, cursor TEXT)")
    cursors = dict(database.execute("SELECT name, cursor FROM sync_state"))
    counts = {"written": 0, "deleted": 0}
    for resource, changed_field in RESOURCES.items():
        database.execute(
            f'CREATE TABLE IF NOT EXISTS "{resource}" (id INTEGER PRIMARY KEY, changed_at TEXT, data TEXT)'
        )
        for rows, cursor in walk(base_url, token, resource, cursors.get(resource)):
            database.executemany(
                f'INSERT INTO "{resource}" (id, changed_at, data) VALUES (?, ?, ?) '  # noqa: S608 - names from RESOURCES
                "ON CONFLICT (id) DO UPDATE SET changed_at = excluded.changed_at, data = excluded.data",
                [(row["id"], row[changed_field], json.dumps(row, ensure_ascii=False)) for row in rows],
            )
            # The rows and the cursor that follows them are saved together: a run cut short
            # resumes where it stopped.
            database.execute("INSERT OR REPLACE INTO sync_state VALUES (?, ?)", (resource, cursor))
            database.commit()
            counts["written"] += len(rows)
    for rows, cursor in walk(base_url, token, "deletions", cursors.get("deletions")):
        for row in rows:
            if row["resource"] in RESOURCES:
                deleted = database.execute(f'DELETE FROM "{row["resource"]}" WHERE id = ?', (row["object_id"],))  # noqa: S608
                counts["deleted"] += deleted.rowcount
        database.execute("INSERT OR REPLACE INTO sync_state VALUES (?, ?)", ("deletions", cursor))
        database.commit()
    return counts


def main(argv: list[str]) -> int:
    if len(argv) != 3 or not os.environ.get("BI_TOKEN"):
        print("usage: BI_TOKEN=<token> python3 bi_sync.py <base url> <mirror.sqlite3>", file=sys.stderr)
        return 2
    with sqlite3.connect(argv[2]) as database:
        counts = sync(argv[1], os.environ["BI_TOKEN"], database)
    print(f"{counts['written']} rows written, {counts['deleted']} deleted")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
