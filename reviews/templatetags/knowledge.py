from django import template

from ..search import highlight as highlight_words

register = template.Library()


@register.filter
def highlight(text, terms):
    """The text with the search's words marked."""
    return highlight_words(text or "", terms or [])
