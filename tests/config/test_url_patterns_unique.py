"""No two pages share an address: apps built side by side once both claimed
/campaigns/<id>/review/ (the weekly review and the effectiveness review), and the one included
first silently took every request meant for the other."""

from collections import defaultdict

from django.urls import URLPattern, URLResolver, get_resolver


def _routes(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name


def test_every_route_is_claimed_by_one_view_only():
    claimed = defaultdict(list)
    for route, name in _routes(get_resolver().url_patterns):
        claimed[route].append(name)
    shared = {route: names for route, names in claimed.items() if len(names) > 1}
    assert shared == {}


def test_the_weekly_review_and_the_effectiveness_review_have_their_own_addresses():
    from django.urls import resolve, reverse

    weekly = reverse("tracking:campaign_review", args=[7])
    effectiveness = reverse("reviews:review_start", args=[7])
    assert weekly != effectiveness
    assert resolve(weekly).view_name == "tracking:campaign_review"
    assert resolve(effectiveness).view_name == "reviews:review_start"
