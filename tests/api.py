"""How the API tests name an endpoint, read a list's rows and say who may not write."""

from django.urls import reverse

from accounts.models import Role

# Everyone who may not edit plans, campaigns or tasks they do not own: the roles other than
# marketing manager, and a read-only BI token (client_as("token")).
NOT_MANAGERS = [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER, "token"]


def url(name, *args):
    """The address of an API route by its name, e.g. url("alert-detail", alert.pk)."""
    return reverse(f"api:{name}", args=args)


def results(response):
    """The rows of a list answer, which must be a 200."""
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response):
    """The ids of a list answer's rows, sorted."""
    return sorted(row["id"] for row in results(response))
