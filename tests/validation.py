"""How the tests read a ValidationError."""

from django.core.exceptions import ValidationError


def messages(error: ValidationError) -> str:
    """Every message of the error in one string, to look for words in."""
    return " ".join(error.messages)
