"""Every URL pattern requires login, except a short, explicit list of public ones.

The resolver is walked, so a page added later cannot forget it.
"""

import re

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

PUBLIC = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:switch_language",
    "healthz",
    "admin:login",
}
SAMPLE_VALUES = ["1", "accounts"]


def walk(patterns, namespace="", kwarg_names=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            child_namespace = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, child_namespace, (*kwarg_names, *names_in(entry.pattern)))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", (*kwarg_names, *names_in(entry.pattern))


def names_in(pattern) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return list(converters)
    return list(re.compile(str(pattern)).groupindex)


def sample_url(name: str, kwarg_names) -> str | None:
    for value in SAMPLE_VALUES:
        kwargs = {kwarg: ("csv" if kwarg == "format" else value) for kwarg in kwarg_names}
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def all_named_urls():
    seen = {}
    for name, kwarg_names in walk(get_resolver().url_patterns):
        url = sample_url(name, kwarg_names)
        if url is not None:
            seen.setdefault(url, name)
    return sorted((name, url) for url, name in seen.items())


def test_the_walk_finds_the_pages_and_the_api():
    names = {name for name, _ in all_named_urls()}

    assert {"dashboard", "accounts:profile", "api:user-list", "admin:index"} <= names


@pytest.mark.parametrize(("name", "url"), all_named_urls())
def test_every_url_requires_login(client, name, url):
    response = client.get(url)

    if name in PUBLIC:
        assert response.status_code in {200, 405}, f"{name} ({url}) should be public"
    elif name.startswith("api:") and name != "api:docs":
        assert response.status_code == 401, f"{name} ({url}) answered {response.status_code} to an anonymous request"
    elif name.startswith("admin:"):
        assert response.status_code == 302
        assert response["Location"].startswith(("/admin/login/", "/accounts/login/")), f"{name} ({url})"
    else:
        assert response.status_code == 302, f"{name} ({url}) answered {response.status_code} without login"
        assert response["Location"].startswith("/accounts/login/"), f"{name} ({url})"
