import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import PASSWORD, DepartmentFactory

pytestmark = pytest.mark.django_db


def test_login_with_a_valid_password_opens_the_dashboard(client, manager):
    response = client.post(reverse("accounts:login"), {"username": "manager", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert response.context["user"] == manager


def test_login_with_a_wrong_password_says_so_and_stays_logged_out(client, manager):
    response = client.post(reverse("accounts:login"), {"username": "manager", "password": "nope"})

    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client, manager):
    client.force_login(manager)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_change_needs_the_old_password_and_then_works(client, manager):
    client.force_login(manager)

    wrong = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "a-new-Secret-42", "new_password2": "a-new-Secret-42"},
    )
    assert wrong.status_code == 200
    assert "Old password" in wrong.content.decode()

    right = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "a-new-Secret-42", "new_password2": "a-new-Secret-42"},
    )
    assert right.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password("a-new-Secret-42")


def test_dashboard_shows_my_roles_and_my_department_with_its_lead(client, make_user):
    department = DepartmentFactory(name="电商运营部")
    lead = make_user(Role.DEPARTMENT_LEAD, name="赵经理", department=department)
    department.lead = lead
    department.save()
    me = make_user(Role.STAFF, name="李专员", department=department, phone="13800000000")
    client.force_login(me)

    html = client.get(reverse("dashboard")).content.decode()

    assert "电商运营部" in html
    assert "赵经理" in html
    assert "tel:13800000000" in html
    assert "Staff" in html


def test_dashboard_runs_the_same_number_of_queries_for_a_small_and_a_large_department(client, make_user, count_queries):
    department = DepartmentFactory(name="市场部")
    me = make_user(Role.STAFF, department=department)
    client.force_login(me)
    small = count_queries(lambda: client.get(reverse("dashboard")))

    for _ in range(30):
        make_user(Role.STAFF, department=department)
    large = count_queries(lambda: client.get(reverse("dashboard")))

    assert small == large


def test_profile_form_saves_language_and_notification_preferences(client, staff_user):
    client.force_login(staff_user)

    response = client.post(
        reverse("accounts:profile"),
        {"name": "李专员", "email": "li@example.com", "phone": "138", "language": "zh-hans", "notify_by_email": "on"},
    )

    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.language == "zh-hans"
    assert staff_user.notify_by_email is True
    assert staff_user.notify_by_chat is False


def test_profile_form_rejects_a_bad_email_and_names_the_field(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("accounts:profile"), {"name": "x", "email": "not-an-email", "language": ""})

    assert response.status_code == 200
    assert "E-mail address: Enter a valid email address." in response.content.decode().replace(
        "Email address", "E-mail address"
    )
    staff_user.refresh_from_db()
    assert staff_user.email != "not-an-email"


@pytest.mark.parametrize(("code", "title"), [(403, "You are not allowed to do this"), (404, "Page not found")])
def test_error_pages_render_in_the_layout(client, staff_user, code, title):
    from config import views

    client.force_login(staff_user)
    request = client.get(reverse("dashboard")).wsgi_request

    handler = views.permission_denied if code == 403 else views.page_not_found
    response = handler(request)

    assert response.status_code == code
    assert title in response.content.decode()


def test_an_unknown_page_answers_the_404_page(client, staff_user):
    client.force_login(staff_user)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
