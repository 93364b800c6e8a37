"""The README and docs/ stand on their own and say what is true."""

import re
import subprocess
from pathlib import Path

from accounts.demo import PEOPLE

BASE_DIR = Path(__file__).resolve().parents[2]


def test_the_readme_lists_every_demo_login_that_make_run_prints():
    readme = (BASE_DIR / "README.md").read_text()

    listed = re.findall(r"^\| `([a-z_]+)` \|", readme, flags=re.MULTILINE)

    assert listed == [username for username, *_ in PEOPLE]


# Spelled in two parts so that this file does not name the folder it looks for.
OUTSIDE = "../" + "shared"


def test_nothing_in_the_project_points_outside_it():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=BASE_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    pointing_out = [
        name
        for name in tracked
        if not name.startswith("static/vendor/")
        and (BASE_DIR / name).is_file()
        and OUTSIDE in (BASE_DIR / name).read_text(errors="ignore")
    ]

    assert pointing_out == []


def test_the_docs_the_readme_names_exist():
    readme = (BASE_DIR / "README.md").read_text()

    for name in re.findall(r"`(docs/[\w./-]+)`", readme):
        assert (BASE_DIR / name).is_file(), name
