from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Department
from core.dates import validate_date_in_window, validate_datetime_in_window
from notifications.models import Delivery, Notification
from plans.models import AnnualPlan, BudgetLine, Campaign, Channel, Metric, Target

# Thresholds ---------------------------------------------------------------------------------


class ThresholdKind(models.TextChoices):
    # Attainment is actual ÷ target; for a lower-is-better metric the miss is above the share.
    ATTAINMENT_BELOW = "attainment_below", _("attainment below a share of the target (above, when lower is better)")
    VALUE_BELOW = "value_below", _("value below a bound over a window")
    VALUE_ABOVE = "value_above", _("value above a bound over a window")
    BENCHMARK_BELOW = "benchmark_below", _("value below a benchmark by a share")
    COST_ABOVE_BUDGET = "cost_above_budget", _("cost above budget by a share")
    TASKS_OVERDUE = "tasks_overdue", _("tasks overdue")
    MILESTONE_MISSED = "milestone_missed", _("milestone missed")


class Severity(models.TextChoices):
    WARNING = "warning", _("warning")
    CRITICAL = "critical", _("critical")


class Threshold(models.Model):
    """A warning threshold (预警阈值) on a target or a whole campaign, checked by Celery beat."""

    kind = models.CharField(_("kind"), max_length=20, choices=ThresholdKind.choices)
    # Scope: a plan target, a campaign goal or sub-goal, or a whole campaign.
    target = models.ForeignKey(
        Target, verbose_name=_("target"), null=True, blank=True, on_delete=models.CASCADE, related_name="thresholds"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.CASCADE, related_name="thresholds"
    )
    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.CASCADE, related_name="thresholds"
    )
    # What is measured, for the value and benchmark kinds (defaults to the target's metric).
    metric = models.ForeignKey(
        Metric, verbose_name=_("metric"), null=True, blank=True, on_delete=models.PROTECT, related_name="thresholds"
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), null=True, blank=True, on_delete=models.PROTECT, related_name="thresholds"
    )
    percent = models.DecimalField(
        _("percentage"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Attainment (actual ÷ target): alert below this %, or above it for a metric where lower is better "
            "(a cost, a response time); or this % below the benchmark; or this % over budget."
        ),
    )
    paced = models.BooleanField(
        _("paced"),
        default=True,
        help_text=_(
            "Compare with what is expected by today: the share of the period elapsed, or what the target's "
            "quarterly split makes due."
        ),
    )
    bound = models.DecimalField(_("bound"), max_digits=18, decimal_places=4, null=True, blank=True)
    window_days = models.PositiveSmallIntegerField(_("window (days)"), null=True, blank=True)
    benchmark_value = models.DecimalField(_("benchmark value"), max_digits=18, decimal_places=4, null=True, blank=True)
    benchmark_source = models.CharField(_("benchmark source"), max_length=200, blank=True)
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="thresholds",
    )
    min_count = models.PositiveIntegerField(
        _("more than N tasks"), null=True, blank=True, help_text=_("Empty or 0: any overdue task.")
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("also notify"),
        blank=True,
        related_name="+",
        help_text=_("Besides the scope's Responsible and Accountable people and the campaign owner."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    history = HistoricalRecords(m2m_fields=[recipients])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=False) | Q(campaign__isnull=False) | Q(plan__isnull=False),
                name="threshold_has_a_scope",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__gte=0), name="threshold_percent_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("tracking:threshold_edit", args=[self.pk])

    @property
    def scope_key(self) -> str:
        if self.target_id:
            return f"target:{self.target_id}"
        if self.campaign_id:
            return f"campaign:{self.campaign_id}"
        return f"plan:{self.plan_id}"


# Alerts -------------------------------------------------------------------------------------


class AlertState(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    RESOLVED = "resolved", _("resolved")
    AUTO_RESOLVED = "auto_resolved", _("recovered")


OPEN_STATES = [AlertState.OPEN, AlertState.ACKNOWLEDGED]


class AlertQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(state__in=OPEN_STATES)

    def overdue_for_acknowledgement(self, *, now=None):
        """Open alerts nobody has acknowledged within the response time (24 hours by default)."""
        now = now or timezone.now()
        return self.filter(state=AlertState.OPEN, opened_at__lte=now - settings.ALERT_RESPONSE_TIME)


class Alert(models.Model):
    """A crossed threshold. At most one unresolved alert per threshold and scope, by constraint."""

    threshold = models.ForeignKey(
        Threshold, verbose_name=_("threshold"), on_delete=models.CASCADE, related_name="alerts"
    )
    scope_key = models.CharField(max_length=40)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    target = models.ForeignKey(
        Target, verbose_name=_("target"), null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    observed = models.DecimalField(_("observed value"), max_digits=18, decimal_places=4, null=True, blank=True)
    expected = models.DecimalField(_("expected value"), max_digits=18, decimal_places=4, null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    # The same summary in Chinese: the check writes both, pages show the reader's.
    summary_zh = models.CharField(_("summary (Chinese)"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=14, choices=AlertState.choices, default=AlertState.OPEN)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)
    last_checked_at = models.DateTimeField(_("last checked at"), default=timezone.now)
    analysis_note = models.TextField(_("analysis note"), blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The issue opened from this alert (one click, when the issue register is there).
    issue = models.ForeignKey(
        "tracking.Issue",
        verbose_name=_("issue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    # Who was told about it, and the e-mails and chat messages that told them.
    notifications = GenericRelation(
        Notification, content_type_field="subject_type", object_id_field="subject_id", related_query_name="alert"
    )
    deliveries = GenericRelation(
        Delivery, content_type_field="subject_type", object_id_field="subject_id", related_query_name="alert"
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            # Two checks at once, or a retried check, can never open a second alert.
            models.UniqueConstraint(
                fields=["threshold", "scope_key"],
                condition=Q(state__in=["open", "acknowledged"]),
                name="one_unresolved_alert_per_threshold_and_scope",
            ),
        ]

    def __str__(self):
        return self.summary

    def get_absolute_url(self):
        return reverse("tracking:alert_detail", args=[self.pk])

    def summary_in(self, language: str | None) -> str:
        if language and language.startswith("zh") and self.summary_zh:
            return self.summary_zh
        return self.summary

    @property
    def headline(self) -> str:
        """The summary in the language of the page being shown."""
        return self.summary_in(translation.get_language())

    def is_overdue_for_acknowledgement(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == AlertState.OPEN and self.opened_at <= now - settings.ALERT_RESPONSE_TIME


# Issues: the register of problems and what is done about them ------------------------------


class IssueState(models.TextChoices):
    OPEN = "open", _("open")
    MITIGATED = "mitigated", _("mitigated")
    RESOLVED = "resolved", _("resolved")


class IssueQuerySet(models.QuerySet):
    def unresolved(self):
        return self.exclude(state=IssueState.RESOLVED)

    def overdue(self, *, today):
        """Unresolved issues whose deadline (完成时限) has passed."""
        return self.unresolved().filter(deadline__lt=today)

    def visible_to(self, user):
        """Issues a person may read: every issue for administrators, marketing managers,
        executives and viewers (who read every alert and task); otherwise the issues of their
        campaigns, of the departments they lead, those they own or recorded, and those
        affecting a task where they are Responsible or Accountable."""
        from accounts.models import Role

        if not user or not user.is_authenticated:
            return self.none()
        if (
            user.is_staff
            or user.is_superuser
            or user.role_names & {Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.VIEWER}
        ):
            return self
        on_my_tasks = Issue.affected_tasks.through.objects.filter(
            Q(task__responsible=user) | Q(task__accountable=user)
        ).values("issue_id")
        return self.filter(
            Q(campaign__owner=user)
            | Q(department__lead=user)
            | Q(owner=user)
            | Q(created_by=user)
            | Q(pk__in=on_my_tasks)
        )


class Issue(models.Model):
    """A problem in the issue register (form 3, 问题记录), in the template's column order:
    description, occurred at, affected tasks, responsible department, temporary measure, root
    cause, long-term solution, deadline, owner; plus state, severity and the alerts it came from
    (Alert.issue: several alerts may point to one issue)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="issues")
    description = models.TextField(_("problem description"))
    occurred_at = models.DateTimeField(_("occurred at"), validators=[validate_datetime_in_window])
    affected_tasks = models.ManyToManyField(
        "tasks.Task", verbose_name=_("affected tasks"), blank=True, related_name="issues"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issues",
    )
    temporary_measure = models.TextField(_("temporary measure"), blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    long_term_solution = models.TextField(_("long-term solution"), blank=True)
    deadline = models.DateField(
        pgettext_lazy("issue register", "deadline"), null=True, blank=True, validators=[validate_date_in_window]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("issue register", "owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issues",
    )
    state = models.CharField(_("state"), max_length=10, choices=IssueState.choices, default=IssueState.OPEN)
    # Why the state last changed (required when an issue is reopened); the history keeps each one.
    state_reason = models.TextField(_("reason for the state"), blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # Set when the owner and the department lead were told the deadline passed: they are told once.
    overdue_notified_at = models.DateTimeField(_("overdue notice sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    history = HistoricalRecords(m2m_fields=[affected_tasks])

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return reverse("tracking:issue_detail", args=[self.pk])

    def is_overdue(self, today) -> bool:
        return self.state != IssueState.RESOLVED and self.deadline is not None and self.deadline < today


# Notifications ------------------------------------------------------------------------------


class NotificationKind(models.TextChoices):
    """What tracking tells people about (registered with the notifications layer)."""

    ALERT_OPENED = "alert_opened", _("alert opened")
    ALERT_ESCALATED = "alert_escalated", _("alert escalated")
    ALERT_RECOVERED = "alert_recovered", _("alert recovered")
    DIGEST = "digest", _("daily digest")
    ISSUE_OVERDUE = "issue_overdue", _("issue past its deadline")
