"""The kinds of notification, registered by the apps that send them.

The notifications layer sits below the apps that notify (alerts, issues, adjustments,
reviews), so it cannot list their events itself: each app registers its kinds with a
translated label when it starts (``AppConfig.ready``), and the admin, the API and the pages
read the labels from here.
"""

from django.utils.functional import Promise

_labels: dict[str, str | Promise] = {}


def register(choices) -> None:
    """Register the kinds of a TextChoices class (value → translated label)."""
    for value, label in choices.choices:
        _labels[value] = label


def label(kind: str) -> str:
    """The kind's label in the active language (the code itself for an unknown kind)."""
    return str(_labels.get(kind, kind))


def choices() -> list[tuple[str, str]]:
    return [(value, str(text)) for value, text in sorted(_labels.items())]
