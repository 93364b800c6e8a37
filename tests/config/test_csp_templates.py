"""No template holds what the Content-Security-Policy refuses: an inline <script> or <style>,
a style attribute, an event handler attribute (onclick=…) or a javascript: address. A page
that needs behaviour uses a file in static/js/, a bar width core/templatetags/bars.py's class.

The browser test tests/e2e/test_content_security_policy.py watches real pages for violations;
this one reads every template, so a page no browser test opens cannot slip one in either."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from core.templatetags.bars import width_class

BASE_DIR = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    path
    for path in BASE_DIR.glob("**/templates/**/*.html")
    if not any(part in {".venv", "node_modules", "var", "staticfiles"} for part in path.parts)
)
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
REFUSED = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I | re.S),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S),
    "javascript: address": re.compile(r"javascript:", re.I),
}


def test_the_scan_finds_the_templates():
    names = {path.name for path in TEMPLATES}

    assert {"base.html", "raci_matrix.html", "timeline.html", "threshold_form.html", "swagger_ui.html"} <= names


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_no_template_holds_what_the_policy_refuses(path):
    markup = TEMPLATE_TAG.sub("", path.read_text())

    found = {what: pattern.search(markup).group(0)[:80] for what, pattern in REFUSED.items() if pattern.search(markup)}

    assert found == {}


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (0, "w-pct-0"),
        (37, "w-pct-37"),
        (Decimal("37.5"), "w-pct-38"),
        (Decimal("99.49"), "w-pct-99"),
        (100, "w-pct-100"),
        (Decimal("190.6"), "w-pct-100"),
        (-5, "w-pct-0"),
        (None, "w-pct-0"),
        ("", "w-pct-0"),
        ("n/a", "w-pct-0"),
    ],
)
def test_a_bar_width_is_a_whole_percent_within_0_and_100(percent, expected):
    assert width_class(percent) == expected


def test_every_width_class_exists_in_the_stylesheet():
    stylesheet = (BASE_DIR / "static" / "css" / "widths.css").read_text()

    assert all(f".w-pct-{n} {{ width: {n}%; }}" in stylesheet for n in range(101))


def test_the_timeline_stylesheet_matches_the_layouts_row_and_axis_heights():
    from tasks.timeline import AXIS_HEIGHT, ROW_HEIGHT

    stylesheet = (BASE_DIR / "static" / "css" / "timeline.css").read_text()

    assert f".timeline-names-head {{ height: {AXIS_HEIGHT}px;" in stylesheet
    assert f".timeline-name {{ height: {ROW_HEIGHT}px; line-height: {ROW_HEIGHT}px;" in stylesheet
