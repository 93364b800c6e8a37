"""Every aria-label a template writes is translated: a screen reader reads the page's language."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARIA_LABEL = re.compile(r"""aria-label=(["'])(.*?)\1""")
TRANSLATED = re.compile(r"^\{% (translate|blocktranslate|trans|blocktrans)\b")


def templates():
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" not in path.parts and "site-packages" not in path.parts:
            yield path


def test_no_template_writes_an_aria_label_in_english_only():
    untranslated = [
        f"{path.relative_to(ROOT)}: {label}"
        for path in templates()
        for _quote, label in ARIA_LABEL.findall(path.read_text(encoding="utf-8"))
        if not TRANSLATED.match(label)
    ]

    assert untranslated == []


def test_the_check_reads_the_projects_templates():
    assert len(list(templates())) > 40
