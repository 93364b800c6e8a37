"""The language cookie is the same whichever page sets it: the header's switch or the profile
(Secure when the settings say so, as production's do)."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _cookie(response):
    return response.cookies[django_settings.LANGUAGE_COOKIE_NAME]


def _from_profile(client, user):
    client.force_login(user)
    return client.post(reverse("accounts:profile"), {"name": "李娜", "email": "", "language": "zh-hans"})


def _from_switch(client, user):
    client.force_login(user)
    return client.post(reverse("accounts:switch_language"), {"language": "zh-hans", "next": "/"})


@pytest.mark.parametrize("set_by", [_from_profile, _from_switch])
def test_the_language_cookie_is_secure_when_the_settings_say_so(client, staff_user, settings, set_by):
    settings.LANGUAGE_COOKIE_SECURE = True

    cookie = _cookie(set_by(client, staff_user))

    assert cookie.value == "zh-hans"
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == django_settings.LANGUAGE_COOKIE_AGE


def test_the_profile_and_the_switch_set_the_same_cookie(client, staff_user, make_user):
    from_profile = _cookie(_from_profile(client, staff_user))
    from_switch = _cookie(_from_switch(client, make_user("staff")))

    attributes = ["secure", "samesite", "max-age", "path", "httponly", "domain"]
    assert [from_profile[name] for name in attributes] == [from_switch[name] for name in attributes]
