from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Department
from core.dates import validate_date_in_window
from plans.models import BilingualNameMixin, Campaign

# The execution template's four stages (name in Chinese, name in English).
DEFAULT_STAGES = [
    ("产品筹备", "Product preparation"),
    ("预热宣传", "Warm-up"),
    ("正式推广", "Launch and promotion"),
    ("售后复盘", "After-sales review"),
]


class Stage(BilingualNameMixin):
    """An ordered phase of a campaign (产品筹备, 预热宣传, 正式推广, 售后复盘 by default)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "position", "pk"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def matches(self, text: str) -> bool:
        """Whether a name typed in a file or a form means this stage, in either language."""
        text = text.strip().casefold()
        return text in {self.name_zh.strip().casefold(), self.name_en.strip().casefold()}


class MilestoneQuerySet(models.QuerySet):
    def missed(self, *, today: date):
        return self.filter(reached_on__isnull=True, due_date__lt=today)


class Milestone(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="milestones"
    )
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="milestones")
    name = models.CharField(_("name"), max_length=200)
    due_date = models.DateField(_("due date"), validators=[validate_date_in_window])
    reached_on = models.DateField(_("reached on"), null=True, blank=True, validators=[validate_date_in_window])
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.name

    def is_missed(self, today: date) -> bool:
        return self.reached_on is None and self.due_date < today


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    BLOCKED = "blocked", _("blocked")


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=TaskStatus.DONE)

    def overdue(self, *, today: date):
        """Due date passed and not done: the one definition used everywhere."""
        return self.filter(due_date__lt=today).exclude(status=TaskStatus.DONE)

    def responsible(self, user):
        return self.filter(responsible=user)

    def visible_to(self, user):
        """Tasks a person may see: everything for managers, executives, viewers, administrators;
        otherwise the tasks where they hold a RACI role, their campaigns' tasks, and tasks their
        department takes part in (by collaboration, a C/I assignment, or its people's R/A)."""
        from accounts.models import Role

        if not user or not user.is_authenticated:
            return self.none()
        if (
            user.is_staff
            or user.is_superuser
            or user.role_names & {Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.VIEWER}
        ):
            return self
        mine = (
            Q(responsible=user)
            | Q(accountable=user)
            | Q(campaign__owner=user)
            | Q(pk__in=Assignment.objects.filter(user=user).values("task_id"))
        )
        if user.department_id:
            department = user.department_id
            mine |= (
                Q(pk__in=Task.departments.through.objects.filter(department_id=department).values("task_id"))
                | Q(pk__in=Assignment.objects.filter(department_id=department).values("task_id"))
                | Q(responsible__department_id=department)
                | Q(accountable__department_id=department)
            )
        return self.filter(mine)


class Task(models.Model):
    """A task of a campaign with exactly one Responsible (the one owner) and one Accountable."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="tasks")
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="tasks")
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    name = models.CharField(_("task name"), max_length=200)
    description = models.TextField(_("task description"), blank=True)
    deliverable = models.TextField(_("deliverable standard"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True, validators=[validate_date_in_window])
    due_date = models.DateField(_("deadline"), validators=[validate_date_in_window])
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    # RACI: the database itself refuses a task without one Responsible and one Accountable.
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="responsible_tasks",
    )
    accountable = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accountable"),
        on_delete=models.PROTECT,
        related_name="accountable_tasks",
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("collaborating departments"), blank=True, related_name="collaborating_tasks"
    )
    budget_amount = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, null=True, blank=True)
    people_needed = models.PositiveSmallIntegerField(_("people needed"), null=True, blank=True)
    materials = models.TextField(_("materials"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords(m2m_fields=[departments])

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["responsible", "status", "due_date"], name="task_responsible_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_at_most_100"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__lte=models.F("due_date")),
                name="task_starts_before_due",
            ),
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="task_status_known"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tasks:task_detail", args=[self.pk])

    def is_overdue(self, today: date) -> bool:
        return is_overdue(self.status, self.due_date, today)


def is_overdue(status: str, due_date: date, today: date) -> bool:
    """A task not done by its due date is overdue (TaskQuerySet.overdue says the same in SQL)."""
    return status != TaskStatus.DONE and due_date < today


class AssignmentRole(models.TextChoices):
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


class Assignment(models.Model):
    """A Consulted or Informed person or department on a task (R and A live on the task)."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=1, choices=AssignmentRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="task_assignments",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="task_assignments",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["task", "role", "pk"]
        verbose_name = _("RACI assignment")
        verbose_name_plural = _("RACI assignments")
        constraints = [
            # R and A live on the task; an assignment is only ever a C or an I.
            models.CheckConstraint(condition=Q(role__in=AssignmentRole.values), name="assignment_role_is_c_or_i"),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(department__isnull=True))
                | (Q(user__isnull=True) & Q(department__isnull=False)),
                name="assignment_is_a_person_or_a_department",
            ),
            models.UniqueConstraint(
                fields=["task", "user"], condition=Q(user__isnull=False), name="one_role_per_person_per_task"
            ),
            models.UniqueConstraint(
                fields=["task", "department"],
                condition=Q(department__isnull=False),
                name="one_role_per_department_per_task",
            ),
        ]

    def __str__(self):
        return f"{self.role}: {self.user or self.department}"


class StatusUpdate(models.Model):
    """One status change or daily note of a task. Never edited or deleted: the history."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="status_updates"
    )
    created_at = models.DateTimeField(_("time"), db_index=True)
    old_status = models.CharField(_("old status"), max_length=12, choices=TaskStatus.choices, blank=True)
    new_status = models.CharField(_("new status"), max_length=12, choices=TaskStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress %"))
    note = models.TextField(_("note"), blank=True)
    # When the row was written (created_at may be an earlier time the update is about).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        indexes = [models.Index(fields=["task", "-created_at"], name="status_update_task_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(new_status=TaskStatus.BLOCKED, note=""), name="blocked_needs_a_reason"),
            models.CheckConstraint(
                condition=~Q(new_status=TaskStatus.DONE, note=""), name="done_needs_a_deliverable_note"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="update_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.task} → {self.new_status}"


class DailyCheckIn(models.Model):
    """A person's “nothing to report today” confirmation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="check_ins"
    )
    date = models.DateField(_("date"), validators=[validate_date_in_window])
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("daily check-in")
        verbose_name_plural = _("daily check-ins")
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="one_check_in_per_person_per_day")]

    def __str__(self):
        return f"{self.user} {self.date}"
