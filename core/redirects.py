"""Where a page may send a person back to: only addresses on this site.

A form that carries ``next`` (or a Referer header) is a request-controlled address; followed
blindly it makes the site an open redirect (``next=https://evil.example/phish`` or
``//evil.example/``). Every view that redirects to such an address goes through here, with
the same rule as Django's login view.
"""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_same_site(request: HttpRequest, url: str | None) -> bool:
    """Whether `url` is a path on this site, or an absolute address of this host over a scheme
    no weaker than the request's."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next_url(request: HttpRequest, url: str | None, *, fallback: str) -> str:
    """`url` when it stays on this site, else `fallback` (a path the view chose itself)."""
    return url if is_same_site(request, url) else fallback
