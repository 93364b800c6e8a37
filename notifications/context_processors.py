"""The bell in the header: how many of the person's notifications are unread."""

from functools import cache

from .selectors import unread_notification_count


def notifications(request):
    """One COUNT query, only for a signed-in person and only when a template shows the bell
    (templates call the function; it remembers its answer for the rest of the page)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"unread_notification_count": cache(lambda: unread_notification_count(user=user))}
