"""Limits on login attempts (django-axes), on the site's login and the admin's alike, and on
password reset e-mails.

After ``LOGIN_FAILURE_LIMIT`` failed attempts for one username (from anywhere), or from one
address (for any usernames), logging in is refused for ``LOGIN_LOCKOUT_MINUTES``, even with the
right password; each further attempt during the pause starts it again. A successful login
clears the count. Administrators see and clear attempts in the admin ("Access attempts").
"""

import hashlib

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


class LoginAttemptsBackend(AxesStandaloneBackend):
    """Refuse a login while its username or address is locked out; the next backend
    (ModelBackend) checks the password.

    Only a login through a page has an address to count: ``authenticate()`` without a request
    (the test client's ``login()``, a shell) is left to the next backend, as without axes."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip_address(request: HttpRequest) -> str | None:
    """The address a login attempt came from. Behind ``TRUSTED_PROXY_COUNT`` proxies (a load
    balancer), the address the outermost of them saw, from X-Forwarded-For; a client cannot
    forge it, since each proxy appends what it saw and only the trusted ones are counted."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


RESET_WINDOW_SECONDS = 3600


def _counted_within(key: str, limit: int) -> bool:
    """Count one more request under `key` for the hour; whether the count is within `limit`."""
    cache.add(key, 0, RESET_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RESET_WINDOW_SECONDS)
        count = 1
    return count <= limit


def password_reset_allowed(*, email: str, address: str | None) -> bool:
    """Whether a password reset e-mail may go out: at most PASSWORD_RESET_EMAILS_PER_HOUR to one
    address, and PASSWORD_RESET_REQUESTS_PER_HOUR requests from one client, so the form can
    flood neither a mailbox nor the mail server. Over the limit the page answers as usual."""
    digest = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    by_email = _counted_within(f"password-reset:email:{digest}", settings.PASSWORD_RESET_EMAILS_PER_HOUR)
    by_client = _counted_within(f"password-reset:client:{address}", settings.PASSWORD_RESET_REQUESTS_PER_HOUR)
    return by_email and by_client
