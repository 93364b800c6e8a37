import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_browser_language_is_the_default(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")

    assert "我的角色" in response.content.decode()
    assert '<html lang="zh-hans">' in response.content.decode()


def test_switching_language_in_the_header_renders_zh_hans_and_saves_the_preference(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("accounts:switch_language"), {"language": "zh-hans", "next": "/"}, follow=True)

    html = response.content.decode()
    assert "我的角色" in html
    assert "退出登录" in html
    staff_user.refresh_from_db()
    assert staff_user.language == "zh-hans"


def test_a_saved_preference_wins_over_the_browser(client, make_user):
    user = make_user("staff", language="zh-hans")
    client.force_login(user)

    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "我的角色" in response.content.decode()


def test_the_login_page_can_be_switched_before_logging_in(client):
    response = client.post(
        reverse("accounts:switch_language"), {"language": "zh-hans", "next": "/accounts/login/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "登录" in response.content.decode()


def test_switching_to_an_unknown_language_is_refused(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("accounts:switch_language"), {"language": "fr", "next": "/"})

    assert response.status_code == 400
    staff_user.refresh_from_db()
    assert staff_user.language == ""


def test_switch_language_does_not_redirect_off_site(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("accounts:switch_language"), {"language": "en", "next": "https://evil.example.com/"})

    assert response["Location"] == reverse("dashboard")
