"""Chat webhook pages: a campaign's chat groups (for its owner and marketing managers) and the
departments' chat groups (for marketing managers), each with "send a test message"."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import submit
from notifications import selectors as notification_selectors
from notifications import services as notification_services
from notifications.models import ChatWebhook
from notifications.permissions import can_manage_department_webhooks
from notifications.senders import DeliveryError
from plans.models import Campaign

from .. import permissions
from ..forms import WebhookForm
from . import require


def _save(request, form: WebhookForm, *, webhook: ChatWebhook | None, campaign: Campaign | None):
    data = form.cleaned_data
    return submit(
        form,
        notification_services.webhook_save,
        webhook=webhook,
        name=data["name"],
        kind=data["kind"],
        url=data["url"],
        secret=data.get("secret") or "",
        is_active=data["is_active"],
        scope=campaign,
        department=data.get("department"),
        by=request.user,
    )


def _list_page(request, *, form: WebhookForm, campaign: Campaign | None, webhooks, status: int = 200):
    return render(
        request,
        "tracking/webhook_list.html",
        {"form": form, "campaign": campaign, "webhooks": list(webhooks)},
        status=status,
    )


def campaign_webhooks(request, pk: int):
    """A campaign's chat groups: listed, and a new one added."""
    campaign = get_object_or_404(Campaign.objects.select_related("owner"), pk=pk)
    require(permissions.can_manage_webhooks(request.user, campaign=campaign))
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save(request, form, webhook=None, campaign=campaign):
        messages.success(request, _("The chat group is added; send it a test message to check the address."))
        return redirect("tracking:campaign_webhooks", pk=campaign.pk)
    webhooks = notification_selectors.webhooks_of(scope=campaign)
    return _list_page(request, form=form, campaign=campaign, webhooks=webhooks, status=400 if form.errors else 200)


def department_webhooks(request):
    """The departments' chat groups: each hears about alerts sent to the department's people."""
    require(can_manage_department_webhooks(request.user))
    form = WebhookForm(request.POST or None, with_department=True)
    if request.method == "POST" and form.is_valid() and _save(request, form, webhook=None, campaign=None):
        messages.success(request, _("The chat group is added; send it a test message to check the address."))
        return redirect("tracking:department_webhooks")
    webhooks = notification_selectors.department_webhooks()
    return _list_page(request, form=form, campaign=None, webhooks=webhooks, status=400 if form.errors else 200)


def _webhook_to_manage(request, pk: int) -> tuple[ChatWebhook, Campaign | None]:
    webhook = get_object_or_404(ChatWebhook.objects.select_related("department"), pk=pk)
    campaign = Campaign.objects.select_related("owner").filter(webhooks=webhook).first()
    if campaign is not None:
        require(permissions.can_manage_webhooks(request.user, campaign=campaign))
    else:
        require(can_manage_department_webhooks(request.user))
    return webhook, campaign


def _back(campaign: Campaign | None) -> str:
    if campaign is not None:
        return reverse("tracking:campaign_webhooks", args=[campaign.pk])
    return reverse("tracking:department_webhooks")


def webhook_edit(request, pk: int):
    webhook, campaign = _webhook_to_manage(request, pk)
    form = WebhookForm(request.POST or None, instance=webhook, with_department=campaign is None)
    if request.method == "POST" and form.is_valid() and _save(request, form, webhook=webhook, campaign=campaign):
        messages.success(request, _("The chat group is saved."))
        return redirect(_back(campaign))
    return render(
        request,
        "tracking/webhook_form.html",
        {"form": form, "webhook": webhook, "campaign": campaign, "back": _back(campaign)},
        status=400 if form.errors else 200,
    )


@require_POST
def webhook_delete(request, pk: int):
    webhook, campaign = _webhook_to_manage(request, pk)
    notification_services.webhook_delete(webhook=webhook, by=request.user)
    messages.success(request, _("The chat group “%(name)s” is removed.") % {"name": webhook.name})
    return redirect(_back(campaign))


@require_POST
def webhook_test(request, pk: int):
    """Send a test message now and say whether the chat platform accepted it."""
    webhook, campaign = _webhook_to_manage(request, pk)
    try:
        notification_services.webhook_send_test(webhook=webhook, by=request.user)
    except DeliveryError as exc:
        messages.error(
            request,
            _("The test message to “%(name)s” did not go through: %(error)s") % {"name": webhook.name, "error": exc},
        )
    else:
        messages.success(request, _("The test message to “%(name)s” was accepted.") % {"name": webhook.name})
    return redirect(_back(campaign))
