"""Signing in, changing one's password and setting a new one by e-mail: Django's views with the
app's templates and forms; the page a locked-out login gets (accounts.login_attempts)."""

from axes.helpers import get_cool_off
from axes.utils import reset as reset_login_attempts
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from ..forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from ..login_attempts import client_ip_address, password_reset_allowed


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """ "Forgot your password?": an e-mail with a link to set a new one. Whether the address
    is known or not, and whether the limit was reached, the answer is the same page."""

    template_name = "registration/password_reset_form.html"
    form_class = PasswordResetForm
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if not password_reset_allowed(email=form.cleaned_data["email"], address=client_ip_address(self.request)):
            return HttpResponseRedirect(self.get_success_url())
        # Links point at the site's address (SITE_URL), like every other e-mail's.
        self.extra_email_context = {
            "site_url": settings.SITE_URL,
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The owner of the mailbox proved who they are: lift a lockout of their username.
        reset_login_attempts(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login while its username or address is locked out: 429, with
    when to try again (the pause restarts with each attempt, so it is counted from now)."""
    cool_off = get_cool_off(request)
    response = render(
        request,
        "registration/lockout.html",
        {
            "minutes": settings.LOGIN_LOCKOUT_MINUTES,
            "retry_at": timezone.localtime() + cool_off,
            "admin_login": request.path.startswith("/admin/"),
        },
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
