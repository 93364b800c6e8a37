"""How the API tests name an endpoint and read a list's rows."""

from django.urls import reverse


def url(name, *args):
    """The address of an API route by its name, e.g. url("alert-detail", alert.pk)."""
    return reverse(f"api:{name}", args=args)


def results(response):
    """The rows of a list answer, which must be a 200."""
    assert response.status_code == 200, response.content
    return response.json()["results"]
