"""Compile every locale/**/*.po to .mo with polib, so no GNU gettext is needed to run or test.

Usage: python -m config.i18n_compile
"""

import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent


def compile_all(base: Path = BASE_DIR / "locale") -> int:
    compiled = 0
    for po_path in sorted(base.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(mo_path))
        compiled += 1
        print(f"compiled {po_path.relative_to(BASE_DIR)} ({catalogue.percent_translated()}% translated)")
    return compiled


if __name__ == "__main__":
    compile_all()
    sys.exit(0)
