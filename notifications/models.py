"""Notifications to people and chat groups about anything: the bell (in-app), e-mail and chat
webhooks.

A notification is about a *subject*: any model instance (by content type and id, e.g. an
alert) or, for what has no row of its own (a daily digest), a dedupe key. Each person hears
about a subject's event once, by constraint. E-mails and chat messages are outbox rows
(``Delivery``) written in the caller's transaction and sent after commit.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Department

from . import kinds


class Notification(models.Model):
    """An in-app notification (the bell); e-mail deliveries hang off it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # For a notification about no row of its own: e.g. "digest:2026-11-30".
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, blank=True)
    # In the recipient's language when it was written (e-mail, admin, API).
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    # The same title and message in every language of the site: {"en": [title, body], …}.
    texts = models.JSONField(_("texts"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_unread_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject_idx"),
        ]
        constraints = [
            # A subject's event (an alert's opening, escalation, recovery) reaches each person once.
            models.UniqueConstraint(
                fields=["recipient", "subject_type", "subject_id", "kind"],
                condition=Q(subject_id__isnull=False),
                name="one_notification_per_subject_event",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="one_notification_per_dedupe_key",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)

    def text(self, language: str | None = None) -> tuple[str, str]:
        """Title and message in a language (by default the page's), else as written."""
        language = (language or translation.get_language() or "").lower()
        shown = self.texts.get(language) or self.texts.get(language.split("-")[0])
        if shown:
            return shown[0], shown[1]
        return self.title, self.body

    def link(self) -> str:
        """The absolute address the notification points to (for e-mails)."""
        return absolute_url(self.url)


def absolute_url(url: str) -> str:
    if url.startswith("/") and not url.startswith("//"):
        return f"{settings.SITE_URL}{url}"
    return url


class WebhookKind(models.TextChoices):
    GENERIC = "generic", _("generic JSON")
    WECOM = "wecom", _("WeCom (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk (钉钉)")
    FEISHU = "feishu", _("Feishu (飞书)")
    SLACK = "slack", _("Slack")


class ChatWebhookQuerySet(models.QuerySet):
    def for_scopes(self, *, scopes=(), department_ids=()):
        """Active webhooks of any of these objects (e.g. a campaign) or departments."""
        condition = Q(pk__in=[])
        for scope in scopes:
            condition |= Q(scope_type=ContentType.objects.get_for_model(scope), scope_id=scope.pk)
        if department_ids:
            condition |= Q(department_id__in=department_ids)
        return self.filter(condition, is_active=True)


class ChatWebhook(models.Model):
    """A chat group's incoming webhook, for a department or for an object of a higher app
    (a campaign), which is its scope."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=WebhookKind.choices)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("signing secret"), max_length=200, blank=True, help_text=_("DingTalk and Feishu signing.")
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhooks",
    )
    scope_type = models.ForeignKey(
        ContentType, verbose_name=_("scope type"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scope_id = models.PositiveBigIntegerField(_("scope id"), null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = ChatWebhookQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("chat webhook")
        verbose_name_plural = _("chat webhooks")
        indexes = [models.Index(fields=["scope_type", "scope_id"], name="webhook_scope_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope_id__isnull=False, scope_type__isnull=False) | Q(department__isnull=False),
                name="webhook_has_a_scope_or_department",
            ),
        ]

    def __str__(self):
        return self.name


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    WEBHOOK = "webhook", _("chat webhook")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("pending")
    # Claimed by a sender until lease_until; a sender that dies leaves it to the sweep then.
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    # Still pending when it was too old to be worth sending (DELIVERY_MAX_AGE), e.g. a
    # restored backup's outbox: marked so, never sent.
    EXPIRED = "expired", _("expired")


class Delivery(models.Model):
    """One e-mail or chat message to send: the outbox. Written in the same transaction as what
    caused it, sent after commit by a job, retried on one schedule (next_attempt_at), swept if
    still pending; a sender claims it (state "sending" until lease_until) before the network
    call, so no transaction or row lock is held while it waits for the other side.

    An e-mail sends its notification's title and message; a chat message carries its own,
    written in the chat group's language when the delivery was written."""

    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel.choices)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    webhook = models.ForeignKey(
        ChatWebhook,
        verbose_name=_("webhook"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(_("event"), max_length=40)
    language = models.CharField(_("language"), max_length=8, default="en")
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Extra fields of the generic JSON message (e.g. an alert's severity and id).
    extra = models.JSONField(_("extra fields"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now, db_index=True)
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    # Stable across attempts: the generic JSON message's message_id, an Idempotency-Key header
    # and the e-mail's Message-ID, so that a receiver can drop a repeat.
    key = models.UUIDField(_("message id"), default=uuid.uuid4, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="delivery_subject_idx")]
        constraints = [
            # A chat group hears about a subject's event once, however many people it notifies.
            models.UniqueConstraint(
                fields=["webhook", "subject_type", "subject_id", "kind"],
                condition=Q(webhook__isnull=False, subject_id__isnull=False),
                name="one_webhook_message_per_subject_event",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} #{self.pk} {self.state}"

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)
