"""`{% translate %}` looks a message with a "%" up as "%%" (makemessages writes it so): a
catalogue entry written with a single "%" is never found and the page stays in English."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

BASE_DIR = Path(__file__).resolve().parents[2]
TRANSLATE = re.compile(r"""{%\s*translate\s+"([^"]*%[^"]*)"\s*%}""")


def messages_with_a_percent() -> list[str]:
    found = set()
    for template in BASE_DIR.glob("*/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        found.update(TRANSLATE.findall(template.read_text()))
    for template in (BASE_DIR / "templates").glob("**/*.html"):
        found.update(TRANSLATE.findall(template.read_text()))
    return sorted(found)


@pytest.mark.parametrize("message", messages_with_a_percent())
def test_a_template_message_with_a_percent_sign_is_shown_in_chinese(message):
    with translation.override("zh-hans"):
        shown = Template('{% load i18n %}{% translate "' + message + '" %}').render(Context())

    assert shown != message
