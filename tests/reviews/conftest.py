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


@pytest.fixture
def review_page_as(page_as, make_user):
    """review_page_as(who, review): a signed-in page client for "owner" (the review's campaign
    owner), "admin", or a role."""

    def build(who, review):
        if who == "owner":
            return page_as(review.campaign.owner)
        if who == "admin":
            return page_as(make_user(None, is_staff=True, is_superuser=True))
        return page_as(make_user(who))

    return build
