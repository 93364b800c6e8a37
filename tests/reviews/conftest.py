import pytest
from django.test import Client

from accounts.models import User


@pytest.fixture
def page_as(make_user):
    """page_as(role or User): a browser-like client signed in (pages, not the API)."""

    def build(who):
        user = who if isinstance(who, User) else make_user(who)
        client = Client()
        client.force_login(user)
        client.user = user
        return client

    return build
