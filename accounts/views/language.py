"""The language switch in the page header."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.redirects import safe_next_url

from .. import services
from ..forms import LanguageForm


@login_not_required
@require_POST
def switch_language(request):
    """Switch the page language from the header; a signed-in person's choice is saved."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown language."))
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    next_url = safe_next_url(
        request, form.cleaned_data["next"] or request.headers.get("referer"), fallback=reverse("dashboard")
    )
    response = redirect(next_url)
    set_language_cookie(response, language)
    return response


def set_language_cookie(response, language: str) -> None:
    """Remember the page language in the browser, as Django's own set_language view does:
    the LANGUAGE_COOKIE_* settings (Secure in production) for every cookie that says it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
