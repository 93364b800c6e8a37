"""How the page tests reach the tracking pages and fill in the threshold form."""

from django.urls import reverse


def get_page(client, name, *args, **params):
    """GET a tracking page by its URL name (and arguments), with query parameters."""
    return client.get(reverse(f"tracking:{name}", args=args), params)


def threshold_form(**fields) -> dict:
    """The threshold form as a browser posts it: every field, empty unless given (None leaves it out)."""
    data = {
        "kind": "",
        "target": "",
        "metric": "",
        "channel": "",
        "percent": "",
        "paced": "",
        "bound": "",
        "window_days": "",
        "benchmark_value": "",
        "benchmark_source": "",
        "budget_line": "",
        "min_count": "",
        "severity": "warning",
        "is_active": "on",
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}
