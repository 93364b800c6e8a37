import re
from pathlib import Path

import polib

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_every_zh_hans_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))

    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_placeholders_survive_translation():
    catalogue = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))

    for entry in catalogue.translated_entries():
        # Chinese has one plural form, the plural message's: compare with that one.
        expected = set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) == expected, entry.msgid
