"""What the pages of plans share: the permission check, the form page and the delete confirmation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def form_page(request, form, *, title: str, cancel_url: str, intro: str = "", warning: str = "", aside_url: str = ""):
    """A form on its own page; `warning` says up front why saving it will be refused (a closed
    plan); `aside_url`, a panel a higher layer serves beside the form (static/js/lessons_panel.js)."""
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "intro": intro,
            "warning": warning,
            "aside_url": aside_url,
        },
    )


def confirm_delete(request, *, obj, cancel_url: str, on_delete):
    if request.method == "POST":
        on_delete()
        messages.success(request, _("“%(name)s” has been deleted.") % {"name": obj})
        return redirect(cancel_url)
    return render(request, "plans/confirm_delete.html", {"object": obj, "cancel_url": cancel_url})
