from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Department
from core.dates import validate_date_in_window, validate_datetime_in_window
from core.formatting import format_money, format_number
from notifications.models import Delivery, Notification
from plans import calendar
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
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
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
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
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
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
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


# Weekly progress logs (form 2, 周进度记录) ----------------------------------------------------


class WeeklyLogState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    # A published log that a later revision corrected: kept, read-only, no longer current.
    SUPERSEDED = "superseded", _("superseded")


class WeeklyLogQuerySet(models.QuerySet):
    def current(self):
        """The log of each week as it stands: its draft or its published revision."""
        return self.exclude(state=WeeklyLogState.SUPERSEDED)


class WeeklyLog(models.Model):
    """A campaign's weekly progress log (form 2, 营销执行进度跟踪表(周度)) for one ISO week, one
    row per stage. One log per campaign and week (revision 1, by constraint); a correction
    of a published log is a new revision of it, and the old one is kept."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="weekly_logs"
    )
    # The Monday of the ISO week.
    week = models.DateField(_("week"), validators=[validate_date_in_window])
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    state = models.CharField(_("state"), max_length=10, choices=WeeklyLogState.choices, default=WeeklyLogState.DRAFT)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True, validators=[validate_date_in_window])
    participants = models.TextField(_("participants"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    drafted_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    objects = WeeklyLogQuerySet.as_manager()

    class Meta:
        ordering = ["-week", "-revision"]
        verbose_name = _("weekly progress log")
        verbose_name_plural = _("weekly progress logs")
        constraints = [
            # Drafting twice, or the Friday job and a manager at once, never makes two logs.
            models.UniqueConstraint(fields=["campaign", "week", "revision"], name="one_weekly_log_per_campaign_week"),
            models.UniqueConstraint(
                fields=["campaign", "week"], condition=Q(state="draft"), name="one_draft_log_per_campaign_week"
            ),
            models.UniqueConstraint(
                fields=["campaign", "week"], condition=Q(state="published"), name="one_published_log_per_campaign_week"
            ),
            models.CheckConstraint(condition=Q(revision__gte=1), name="weekly_log_revision_from_1"),
        ]

    def __str__(self):
        year, week, _day = self.week.isocalendar()
        return f"{self.campaign} · {year}-W{week:02d}"

    def get_absolute_url(self):
        return reverse("tracking:weekly_log_detail", args=[self.pk])

    @property
    def week_label(self) -> str:
        year, week, _day = self.week.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def is_draft(self) -> bool:
        return self.state == WeeklyLogState.DRAFT


class WeeklyLogRow(models.Model):
    """One stage of a weekly log, in the template's columns."""

    log = models.ForeignKey(
        WeeklyLog, verbose_name=_("weekly progress log"), on_delete=models.CASCADE, related_name="rows"
    )
    stage = models.ForeignKey(
        "tasks.Stage", verbose_name=_("stage"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The stage's name as it was when the log was drafted (the stage may be renamed or removed).
    stage_name = models.CharField(_("stage"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    planned_tasks = models.TextField(_("planned tasks this week"), blank=True)
    completion = models.TextField(_("completion (quantity / quality)"), blank=True)
    key_figures = models.TextField(_("key metric figures"), blank=True)
    problems = models.TextField(_("problems and causes"), blank=True)
    measures = models.TextField(_("measures and owners"), blank=True)
    next_focus = models.TextField(_("next week's focus"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["log", "position", "pk"]
        verbose_name = _("weekly log row")
        verbose_name_plural = _("weekly log rows")
        constraints = [models.UniqueConstraint(fields=["log", "position"], name="one_weekly_log_row_per_position")]

    def __str__(self):
        return f"{self.log} · {self.stage_name}"


class WeeklyLogNotificationKind(models.TextChoices):
    """What the weekly log tells people about (registered with the notifications layer)."""

    WEEKLY_LOG_PUBLISHED = "weekly_log_published", _("weekly log published")


# Notifications ------------------------------------------------------------------------------


class NotificationKind(models.TextChoices):
    """What tracking tells people about (registered with the notifications layer)."""

    ALERT_OPENED = "alert_opened", _("alert opened")
    ALERT_ESCALATED = "alert_escalated", _("alert escalated")
    ALERT_RECOVERED = "alert_recovered", _("alert recovered")
    DIGEST = "digest", _("daily digest")
    ISSUE_OVERDUE = "issue_overdue", _("issue past its deadline")


# Adjustments (动态调整): changes to what a running plan or campaign aims at, approved first ------


class AdjustmentKind(models.TextChoices):
    TARGET = "target", pgettext_lazy("adjustment kind", "target")
    BUDGET = "budget", pgettext_lazy("adjustment kind", "budget")
    SCHEDULE = "schedule", pgettext_lazy("adjustment kind", "schedule")
    STRATEGY = "strategy", pgettext_lazy("adjustment kind", "strategy")


class AdjustmentState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("adjustment state", "pending")
    APPROVED = "approved", pgettext_lazy("adjustment state", "approved")
    REJECTED = "rejected", pgettext_lazy("adjustment state", "rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("adjustment state", "withdrawn")


class ApprovalStep(models.TextChoices):
    """Who decides next: a minor adjustment's campaign owner; a major one's marketing lead,
    then an executive."""

    OWNER = "owner", _("campaign owner")
    LEAD = "lead", _("marketing lead")
    EXECUTIVE = "executive", _("executive")


class ChangeSubject(models.TextChoices):
    """What one line of an adjustment changes."""

    TARGET = "target", _("target")
    CAMPAIGN = "campaign", _("campaign")
    PLAN = "plan", _("plan")
    BUDGET_LINE = "budget_line", _("budget line")
    MILESTONE = "milestone", _("milestone")
    TASK = "task", _("task")
    PLAN_ITEM = "plan_item", _("plan section")


MONEY_FIELDS = {"budget", "planned_amount"}
FIGURE_FIELDS = {"target_value", "q1", "q2", "q3", "q4"}

# A request pending for more than this many working days is flagged on its approvers' pages.
ADJUSTMENT_PENDING_WORKING_DAYS = 2


def working_days_between(start, end, *, overrides=None) -> int:
    """Working days after `start` up to and including `end` (dates), the Chinese way: statutory
    holidays off, make-up working days (调休) on, the administrator's table first
    (plans.calendar over core.workdays); `overrides` when the caller read that table already."""
    return calendar.working_days_between(start, end, overrides=overrides)


class AdjustmentQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=AdjustmentState.PENDING)


class Adjustment(models.Model):
    """A request to change a target, a budget, a schedule or a strategy of a plan or campaign
    that is running (动态调整): its reason, the proposed values (its changes), the alerts and
    issues that led to it; minor ones are approved by the campaign's owner, major ones by the
    marketing lead and then an executive. Approval applies the changes in one transaction."""

    plan = models.ForeignKey(AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="adjustments")
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="adjustments",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AdjustmentKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=AdjustmentState.choices, default=AdjustmentState.PENDING
    )
    major = models.BooleanField(_("major"), default=False)
    # Whose decision is awaited while pending; empty once decided.
    awaiting = models.CharField(_("awaiting"), max_length=10, choices=ApprovalStep.choices, blank=True)
    reason = models.TextField(_("reason"))
    expected_effect = models.TextField(_("expected effect"), blank=True)
    # A reallocation keeps the total unless the request says it changes it.
    changes_total = models.BooleanField(_("changes the total"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    alerts = models.ManyToManyField(Alert, verbose_name=_("alerts"), blank=True, related_name="adjustments")
    issues = models.ManyToManyField(Issue, verbose_name=_("issues"), blank=True, related_name="adjustments")
    rejection_reason = models.TextField(_("reason for the rejection"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    objects = AdjustmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="pending", awaiting__in=["owner", "lead", "executive"])
                | (~Q(state="pending") & Q(awaiting="")),
                name="adjustment_awaits_someone_while_pending",
            ),
        ]

    def __str__(self):
        return _("Adjustment #%(id)s (%(kind)s)") % {"id": self.pk, "kind": self.get_kind_display()}

    def get_absolute_url(self):
        return reverse("tracking:adjustment_detail", args=[self.pk])

    @property
    def scope(self):
        return self.campaign if self.campaign_id else self.plan

    def pending_working_days(self, today, *, overrides=None) -> int:
        """Working days since it was requested (the administrator's holiday table is read
        unless `overrides` is given: pass it when counting for many requests)."""
        return working_days_between(timezone.localdate(self.created_at), today, overrides=overrides)

    def is_overdue(self, today, *, overrides=None) -> bool:
        """Pending for more than two working days."""
        return (
            self.state == AdjustmentState.PENDING
            and self.pending_working_days(today, overrides=overrides) > ADJUSTMENT_PENDING_WORKING_DAYS
        )


class AdjustmentChange(models.Model):
    """One value an adjustment changes: what (a subject and its id, a field), named in both
    languages as it was when proposed, with the value before and the value proposed, as text
    (a decimal, an ISO date or a text). Applying refuses when the value is no longer `before`."""

    adjustment = models.ForeignKey(
        Adjustment, verbose_name=_("adjustment"), on_delete=models.CASCADE, related_name="changes"
    )
    subject = models.CharField(_("what"), max_length=12, choices=ChangeSubject.choices)
    object_id = models.PositiveBigIntegerField(_("id"))
    field = models.CharField(_("field"), max_length=30)
    label_en = models.CharField(_("label (English)"), max_length=300)
    label_zh = models.CharField(_("label (Chinese)"), max_length=300)
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["adjustment", "position", "pk"]
        verbose_name = _("adjusted value")
        verbose_name_plural = _("adjusted values")
        constraints = [
            models.UniqueConstraint(
                fields=["adjustment", "subject", "object_id", "field"], name="one_change_per_field_per_adjustment"
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.before} → {self.after}"

    @property
    def label(self) -> str:
        if (translation.get_language() or "en").startswith("zh"):
            return self.label_zh or self.label_en
        return self.label_en or self.label_zh

    def _display(self, text: str) -> str:
        """A value for reading: money in yuan, figures without trailing zeros (万 in Chinese)."""
        if not text:
            return "–"
        if self.field in MONEY_FIELDS:
            return format_money(Decimal(text))
        if self.field in FIGURE_FIELDS:
            return format_number(Decimal(text), places=4)
        return text

    @property
    def before_display(self) -> str:
        return self._display(self.before)

    @property
    def after_display(self) -> str:
        return self._display(self.after)


class AdjustmentDecision(models.Model):
    """One approver's decision on an adjustment, at one step: approved, or rejected with a reason."""

    adjustment = models.ForeignKey(
        Adjustment, verbose_name=_("adjustment"), on_delete=models.CASCADE, related_name="decisions"
    )
    step = models.CharField(_("step"), max_length=10, choices=ApprovalStep.choices)
    approved = models.BooleanField(_("approved"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["adjustment", "at", "pk"]
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        constraints = [
            # Two approvers at once cannot both decide one step.
            models.UniqueConstraint(fields=["adjustment", "step"], name="one_decision_per_adjustment_step"),
        ]

    def __str__(self):
        return f"{self.get_step_display()}: {self.by}"


class AdjustmentNotificationKind(models.TextChoices):
    """What adjustments tell people about (registered with the notifications layer)."""

    AWAITING = "adjustment_awaiting", _("adjustment awaiting your approval")
    APPROVED = "adjustment_approved", _("adjustment approved")
    REJECTED = "adjustment_rejected", _("adjustment rejected")


# The monthly review (月度复盘): stop, continue or boost each campaign and channel -------------


class ReviewDecision(models.TextChoices):
    STOP = "stop", _("stop")
    CONTINUE = "continue", _("continue")
    BOOST = "boost", _("boost")


class MonthlyReview(models.Model):
    """A plan's review of one month (月度复盘): a decision per campaign and per channel."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="monthly_reviews"
    )
    month = models.DateField(_("month"), validators=[validate_date_in_window])  # its first day
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-month"]
        verbose_name = _("monthly review")
        verbose_name_plural = _("monthly reviews")
        constraints = [
            models.UniqueConstraint(fields=["plan", "month"], name="one_monthly_review_per_plan_and_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_review_month_starts_on_day_one"),
        ]

    def __str__(self):
        return f"{self.plan} {self.month:%Y-%m}"


class MonthlyReviewLine(models.Model):
    """The manager's decision on one campaign or one channel in a monthly review, with the
    figures it was taken on; a stop or boost opens a budget adjustment request."""

    review = models.ForeignKey(MonthlyReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="lines")
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=ReviewDecision.choices)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "campaign", "channel", "pk"]
        verbose_name = _("monthly review decision")
        verbose_name_plural = _("monthly review decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(campaign__isnull=True, channel__isnull=False)
                | Q(campaign__isnull=False, channel__isnull=True),
                name="monthly_review_line_is_a_campaign_or_a_channel",
            ),
            models.UniqueConstraint(
                fields=["review", "campaign"], condition=Q(campaign__isnull=False), name="one_decision_per_campaign"
            ),
            models.UniqueConstraint(
                fields=["review", "channel"], condition=Q(channel__isnull=False), name="one_decision_per_channel"
            ),
        ]

    def __str__(self):
        return f"{self.campaign or self.channel}: {self.get_decision_display()}"
