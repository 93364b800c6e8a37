"""core.redirects: the one rule for request-controlled redirect addresses."""

import pytest

from core.redirects import is_same_site, safe_next_url


@pytest.mark.parametrize(
    ("url", "same_site"),
    [
        ("/plans/1/", True),
        ("http://testserver/plans/", True),
        ("plans/", True),
        ("", False),
        (None, False),
        ("https://evil.example/phish", False),
        ("//evil.example/", False),
        ("\\\\evil.example", False),
        ("/\\evil.example", False),
        ("ftp://testserver/", False),
        ("javascript:alert(1)", False),
        (" //evil.example", False),
        ("http://evil.example@testserver.evil/", False),
    ],
)
def test_only_addresses_on_this_site_count(rf, url, same_site):
    assert is_same_site(rf.get("/"), url) is same_site


def test_an_off_site_address_falls_back(rf):
    request = rf.post("/")

    assert safe_next_url(request, "//evil.example/", fallback="/tasks/1/") == "/tasks/1/"
    assert safe_next_url(request, "/my-tasks/", fallback="/tasks/1/") == "/my-tasks/"
