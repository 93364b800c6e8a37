"""Work of the apps above tasks shown on My tasks (follow-up actions of reviews): the tasks
layer cannot import them, so each registers a provider from its AppConfig.ready. A provider
takes the person and today and returns a section (or None when it has nothing for them)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass
class ExtraItem:
    text: str
    context: str  # what it belongs to (a campaign)
    due_date: date
    overdue: bool
    done: bool
    url: str = ""
    # where a POST with a `note` marks it done; empty when the reader may not
    done_url: str = ""
    note: str = ""


@dataclass
class ExtraSection:
    key: str
    title: str
    items: list[ExtraItem] = field(default_factory=list)


Provider = Callable[..., ExtraSection | None]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def sections_for(*, user, today: date) -> list[ExtraSection]:
    """Each registered provider's section for the person, those with something in them."""
    found = (provider(user=user, today=today) for provider in _providers)
    return [section for section in found if section and section.items]
