"""The effectiveness review (form 4, 效果评估) of a finished campaign, its lines, the
follow-up actions and lessons it leaves, and what the knowledge base searches."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import validate_date_in_window
from plans.models import Campaign, CampaignType, Channel, Direction, Metric, Target


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("draft")
    FINAL = "final", _("final")
    ARCHIVED = "archived", _("archived")


class ReviewQuerySet(models.QuerySet):
    def archived(self):
        return self.filter(state=ReviewState.ARCHIVED)

    def not_final(self):
        return self.filter(state=ReviewState.DRAFT)


class Review(models.Model):
    """A campaign's review: form 4's lines, the meeting and the four parts of the report."""

    campaign = models.OneToOneField(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="review"
    )
    state = models.CharField(_("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    # When the review is due: 3 working days after the campaign's end (plans.calendar).
    due_date = models.DateField(_("due date"), validators=[validate_date_in_window])
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True, validators=[validate_date_in_window])
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), blank=True, related_name="reviews_attended"
    )
    # The report's parts (《营销执行复盘报告》); key data comparison is the lines.
    overview = models.TextField(_("achievement overview"), blank=True)
    conclusion = models.TextField(_("overall assessment"), blank=True)
    what_worked = models.TextField(_("what worked"), blank=True)
    shortfalls = models.TextField(_("lessons"), blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # The campaign's words and the review's texts, segmented (jieba), for the knowledge base.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-campaign__end_date", "pk"]
        verbose_name = _("effectiveness review")
        verbose_name_plural = _("effectiveness reviews")

    def __str__(self):
        return str(self.campaign)

    def get_absolute_url(self):
        return reverse("reviews:review_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.state == ReviewState.DRAFT

    def is_overdue(self, today: date) -> bool:
        return self.state == ReviewState.DRAFT and today > self.due_date


class Dimension(models.TextChoices):
    """Form 4's 评估维度."""

    SALES = "sales", _("Sales")
    USER_GROWTH = "user_growth", _("User growth")
    REACH = "reach", _("Reach")
    COST = "cost", _("Cost control")
    OVERALL = "overall", _("Overall assessment")
    OTHER = "other", _("Other")


class ReviewLine(models.Model):
    """One line of form 4: a goal of the campaign, its target and actual, the attainment the one
    computation in plans gives, and what the team makes of it. The figures follow live data
    while the review is a draft and are written here when it is finalised (frozen)."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="lines")
    target = models.ForeignKey(
        Target, verbose_name=_("goal"), null=True, blank=True, on_delete=models.SET_NULL, related_name="review_lines"
    )
    metric = models.ForeignKey(Metric, verbose_name=_("metric"), on_delete=models.PROTECT, related_name="+")
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    dimension_label = models.CharField(
        _("dimension name"), max_length=100, blank=True, help_text=_("For a dimension of your own.")
    )
    name = models.CharField(_("metric name"), max_length=200)
    # Frozen figures (filled when the review is finalised).
    target_value = models.DecimalField(_("target"), max_digits=18, decimal_places=4, null=True, blank=True)
    original_target = models.DecimalField(_("original target"), max_digits=18, decimal_places=4, null=True, blank=True)
    actual = models.DecimalField(_("actual"), max_digits=18, decimal_places=4, null=True, blank=True)
    attainment = models.DecimalField(_("attainment %"), max_digits=12, decimal_places=1, null=True, blank=True)
    original_attainment = models.DecimalField(
        _("attainment against the original target %"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    analysis = models.TextField(_("analysis"), blank=True)
    suggestion = models.TextField(_("improvement suggestion"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    # A line a manager added (another dimension on a goal of the campaign), which may be
    # deleted again; the lines of the campaign's headline goals come with the review and stay.
    added = models.BooleanField(_("added by a manager"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "sort_order", "pk"]
        verbose_name = _("review line")
        verbose_name_plural = _("review lines")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "target"], condition=Q(target__isnull=False), name="one_line_per_goal"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def dimension_name(self) -> str:
        return self.dimension_label or self.get_dimension_display()


class ReviewComment(models.Model):
    """A remark on a review, by anyone who reads it (executives comment rather than edit)."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["review", "created_at", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self):
        return self.text[:50]


class ActionState(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class FollowUpActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=ActionState.OPEN)

    def overdue(self, *, today: date):
        return self.open().filter(due_date__lt=today)


class FollowUpAction(models.Model):
    """后续行动计划: what the team will do next time, with its owner and due date, tracked like a task."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="actions")
    action = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="follow_up_actions"
    )
    due_date = models.DateField(_("due date"), validators=[validate_date_in_window])
    state = models.CharField(_("state"), max_length=10, choices=ActionState.choices, default=ActionState.OPEN)
    done_note = models.TextField(_("note"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    objects = FollowUpActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        indexes = [models.Index(fields=["owner", "state", "due_date"], name="follow_up_owner_idx")]

    def __str__(self):
        return self.action[:80]

    def is_overdue(self, today: date) -> bool:
        return self.state == ActionState.OPEN and self.due_date < today


class LessonKind(models.TextChoices):
    WORKED = "worked", _("What worked")
    AVOID = "avoid", _("What to avoid")


class Lesson(models.Model):
    """A lesson a review leaves, tagged with what it is about so the next campaign finds it."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="lessons")
    kind = models.CharField(_("kind"), max_length=10, choices=LessonKind.choices)
    text = models.TextField(_("lesson"))
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Separated by commas."))
    campaign_type = models.CharField(_("campaign type"), max_length=12, choices=CampaignType.choices)
    channels = models.ManyToManyField(Channel, verbose_name=_("channels"), blank=True, related_name="lessons")
    metrics = models.ManyToManyField(Metric, verbose_name=_("metrics"), blank=True, related_name="lessons")
    stage = models.CharField(_("stage"), max_length=150, blank=True)
    # The text and tags segmented by jieba (words separated by spaces) for full-text search.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords(excluded_fields=["search_text"], m2m_fields=[channels, metrics])

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        indexes = [models.Index(fields=["campaign_type"], name="lesson_campaign_type_idx")]

    def __str__(self):
        return self.text[:80]

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.replace("，", ",").split(",") if tag.strip()]


class NotificationKind(models.TextChoices):
    """What reviews tells people about (registered with the notifications layer)."""

    KICKOFF_OVERDUE = "kickoff_overdue", _("campaign still in planning")
    REVIEW_OPENED = "review_opened", _("review to write")
    REVIEW_OVERDUE = "review_overdue", _("review overdue")
