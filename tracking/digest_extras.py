"""Sections the apps above tracking add to the daily digest (reviews: follow-up actions due or
overdue). Tracking cannot import them: each registers a provider from its AppConfig.ready.
A provider takes today and returns, by user id, the lines a person should hear about, in a
fixed number of queries; the heading is a function of the language, called when written."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DigestSection:
    # heading(language) → the section's heading in that language
    heading: Callable[[], str]
    # line(item) → one line, in the active language
    line: Callable[[object], str]
    # items(today) → {user id: [item, …]}
    items: Callable[[date], dict[int, list]]


_sections: list[DigestSection] = []


def register(section: DigestSection) -> None:
    if section not in _sections:
        _sections.append(section)


def registered() -> list[DigestSection]:
    return list(_sections)
