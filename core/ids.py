"""Reading the id of a row from a request: the one way every page, filter and serializer
does it.

An id is written in ASCII digits only (``str.isdigit()`` and ``int()`` also accept "²" or
"١٢", which the database does not), with no sign, spaces or underscores, and it fits the
database's 64-bit key: anything else is not an id, so the caller answers 400 naming the
parameter instead of letting the database fail.
"""

import re

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# The largest BigAutoField key (PostgreSQL's bigint, SQLite's INTEGER).
MAX_ID = 2**63 - 1
ID_PATTERN = re.compile(r"[0-9]{1,19}")


class UnreadableId(BadRequest):
    """A request gave something that is not an id where an id is expected; the message says
    which parameter, for the person (or the program) who sent it."""

    def __init__(self, name: str, value):
        self.name, self.value = name, value
        super().__init__(
            _("“%(value)s” is not a valid %(name)s: give the id as a whole number written with the digits 0–9.")
            % {"value": str(value)[:50], "name": name}
        )


def parse_id(value) -> int | None:
    """The id a value holds (an int, or a string of ASCII digits), or None when it holds none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and ID_PATTERN.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def id_param(data, name: str) -> int | None:
    """The id in ``data[name]`` (a request's GET or POST): None when it is absent or empty,
    UnreadableId (a 400) when it is given but is no id."""
    value = data.get(name)
    if value in (None, ""):
        return None
    number = parse_id(value)
    if number is None:
        raise UnreadableId(name, value)
    return number
