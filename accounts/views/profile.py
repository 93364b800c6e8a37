"""A person's own profile: contact details, language, notifications, their department."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from .. import services
from ..forms import ProfileForm
from ..selectors import department_with_members
from .language import set_language_cookie


def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=user, **form.cleaned_data)
        translation.activate(user.language or translation.get_language_from_request(request))
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        if user.language:
            set_language_cookie(response, user.language)
        return response
    department = department_with_members(department_id=user.department_id) if user.department_id else None
    return render(request, "accounts/profile.html", {"form": form, "department": department})
