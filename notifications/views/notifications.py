"""The bell's pages: a person's notifications, newest first, and marking them read."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.redirects import safe_next_url

from .. import selectors, services
from ..models import Notification

PAGE_SIZE = 50


def notification_list(request):
    page = Paginator(selectors.notification_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    notifications = list(page.object_list)
    for notification in notifications:
        notification.shown_title, notification.shown_body = notification.text()
    return render(request, "notifications/notification_list.html", {"page": page, "notifications": notifications})


@require_POST
def notification_read(request, pk: int):
    """Mark one's own notification read and go where it points."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(_notification_target(request, notification))


def _notification_target(request, notification: Notification) -> str:
    url = notification.url
    if url.startswith(settings.SITE_URL):
        url = url[len(settings.SITE_URL) :] or "/"
    return safe_next_url(request, url, fallback=reverse("notifications:notification_list"))


@require_POST
def notification_read_all(request):
    count = services.notification_mark_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:notification_list")
