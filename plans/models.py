import re
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import UniqueNullsNotDistinct
from core.dates import validate_date_in_window
from notifications.models import ChatWebhook

# Han characters (CJK unified ideographs, extension A and the compatibility block).
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def in_reader_language(english: str, chinese: str) -> str:
    """The text in the active language, else the other one."""
    if (translation.get_language() or "en").startswith("zh"):
        return chinese or english
    return english or chinese


def bilingual(field: str) -> property:
    """The reader's language of a text kept as `<field>_en` and `<field>_zh`. Given one text
    (an older caller, a one-language import), it goes to the field of its script: Chinese
    when it has Han characters, English otherwise."""

    def read(self) -> str:
        return in_reader_language(getattr(self, f"{field}_en"), getattr(self, f"{field}_zh"))

    def write(self, text: str) -> None:
        setattr(self, f"{field}_zh" if HAN.search(text or "") else f"{field}_en", text or "")

    return property(read, write, doc=f"The {field} in the reader's language.")


class RandomUuid(models.Func):
    """A random UUID made by the database: the values version of a row that a migration or a
    bulk load inserts without one (plans.actuals)."""

    output_field = models.UUIDField()

    def as_sql(self, compiler, connection, **extra):
        return "gen_random_uuid()", []

    def as_sqlite(self, compiler, connection, **extra):
        return "(lower(hex(randomblob(16))))", []


class ValuesVersioned(models.Model):
    """A campaign or plan whose targets' actuals are cached under its values version
    (plans.actuals), which only services.metric_values_changed renews."""

    # Renewed, in the transaction of whatever writes or deletes the metric values of the
    # campaign or plan (services.metric_values_changed): the cached figures are kept under it.
    values_version = models.UUIDField(default=uuid.uuid4, db_default=RandomUuid(), editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Never write back the version the instance was read with: a form saving a campaign
        # read before values were recorded would bring back the old version, and with it the
        # figures cached from the old values.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "values_version"
            ]
        super().save(*args, **kwargs)


class BilingualNameMixin(models.Model):
    """Reference data carries its name in both UI languages; `name` picks the active one."""

    name_en = models.CharField(_("name (English)"), max_length=150)
    name_zh = models.CharField(_("name (Chinese)"), max_length=150)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_reader_language(self.name_en, self.name_zh)


class ChannelKind(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("Offline")


class Channel(BilingualNameMixin):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "sort_order", "code"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")


class Unit(models.TextChoices):
    COUNT = "count", _("count")
    CURRENCY = "cny", _("yuan (CNY)")
    PERCENT = "percent", _("percent")
    RATIO = "ratio", _("ratio")
    HOURS = "hours", _("hours")


class Period(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")


class Aggregation(models.TextChoices):
    SUM = "sum", _("sum")
    LAST = "last", _("last value")
    AVERAGE = "average", _("average")
    # A derived metric: the ratio of two summed metrics over the same scope and period (ROI =
    # marketing net profit / marketing cost), computed wherever it is shown, never typed.
    RATIO = "ratio", _("ratio of two metrics")


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Metric(BilingualNameMixin):
    """The unified metric dictionary (统一数据统计口径): every target, value and threshold
    refers to one of these, so two departments can never count a metric differently."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    definition_zh = models.TextField(_("definition (Chinese)"), blank=True)
    data_source_en = models.CharField(_("data source (English)"), max_length=200, blank=True)
    data_source_zh = models.CharField(_("data source (Chinese)"), max_length=200, blank=True)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices, default=Period.DAILY)
    aggregation = models.CharField(_("aggregation"), max_length=10, choices=Aggregation.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    allow_negative = models.BooleanField(
        _("may be negative"), default=False, help_text=_("Profit and ROI can be negative; counts and costs cannot.")
    )
    is_cost = models.BooleanField(
        _("is marketing cost"), default=False, help_text=_("Values of this metric are spend, compared with budgets.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # A derived metric (aggregation "ratio") is numerator / denominator, both summed metrics.
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("numerator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a ratio of two metrics: the metric above the line (ROI: marketing net profit)."),
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("denominator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a ratio of two metrics: the metric below the line (ROI: marketing cost)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(aggregation="ratio", numerator__isnull=False, denominator__isnull=False)
                    | (~Q(aggregation="ratio") & Q(numerator__isnull=True, denominator__isnull=True))
                ),
                name="metric_ratio_has_its_two_components",
            ),
        ]

    definition = bilingual("definition")
    data_source = bilingual("data_source")

    @property
    def is_derived(self) -> bool:
        return self.aggregation == Aggregation.RATIO

    @property
    def ratio_scale(self) -> Decimal:
        """A percentage ratio reads ×100 (conversion rate: 3 orders of 100 visitors is 3%)."""
        return Decimal(100) if self.unit == Unit.PERCENT else Decimal(1)

    def recorded_value_problem(self, value: Decimal) -> str | None:
        """Why this value cannot be recorded as measured: a derived metric is never typed (it is
        computed from its components), else value_problem."""
        if self.is_derived:
            return _("%(metric)s is computed from %(numerator)s and %(denominator)s: record those instead.") % {
                "metric": self.name,
                "numerator": self.numerator.name if self.numerator_id else "",
                "denominator": self.denominator.name if self.denominator_id else "",
            }
        return self.value_problem(value)

    def value_problem(self, value: Decimal) -> str | None:
        """Why this value is impossible for the metric's unit, or None when it is possible."""
        if value < 0 and not self.allow_negative:
            return _("%(metric)s cannot be negative.") % {"metric": self.name}
        if self.unit == Unit.PERCENT and value > 100:
            return _("%(metric)s is a percentage and cannot be over 100.") % {"metric": self.name}
        if self.unit == Unit.COUNT and value != value.to_integral_value():
            return _("%(metric)s is a count and must be a whole number.") % {"metric": self.name}
        return None


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


class AnnualPlanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=PlanStatus.ACTIVE)


class AnnualPlan(ValuesVersioned):
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_plans"
    )
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    budget = models.DecimalField(
        _("total budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Budget lines are shown as shares of this total; empty uses the sum of the lines."),
    )
    # Set when an approved adjustment first changes the total budget (see Target.original_value).
    original_budget = models.DecimalField(
        _("original total budget"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    # An adjustment of a budget or a target by at most this share is minor (the campaign's owner
    # approves it); beyond it, the marketing lead and then an executive approve.
    adjustment_threshold = models.DecimalField(
        _("minor adjustment threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5"),
        # Also in the database, so rows written by code that predates the column get it too.
        db_default=Decimal("5"),
        help_text=_(
            "A change to a budget or a target by at most this percentage is approved by the campaign's owner; "
            "a larger one by the marketing lead and then an executive."
        ),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # The channel-efficiency ranking (渠道效能榜): which metric counts as a channel's output and
    # which as its cost. Empty: the dictionary's defaults (units sold; the metrics marked as cost).
    ranking_output_metric = models.ForeignKey(
        "Metric",
        verbose_name=_("ranking output metric"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("What counts as a channel's output in the channel-efficiency ranking; empty: units sold."),
    )
    ranking_cost_metric = models.ForeignKey(
        "Metric",
        verbose_name=_("ranking cost metric"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("What counts as a channel's cost in the ranking; empty: every metric marked as marketing cost."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords(excluded_fields=["values_version"])

    objects = AnnualPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(status=PlanStatus.ACTIVE),
                name="one_active_plan_per_year",
                violation_error_message=_("Another plan is already active for this year."),
            ),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="plan_year_in_range"),
            models.CheckConstraint(
                condition=Q(adjustment_threshold__gte=0) & Q(adjustment_threshold__lte=100),
                name="plan_adjustment_threshold_is_a_percentage",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.title}"

    def get_absolute_url(self):
        return reverse("plans:plan_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        """A closed plan is frozen: nothing in it is added or changed any more."""
        return self.status == PlanStatus.CLOSED

    def frozen_message(self) -> str:
        return _(
            "%(plan)s is closed, so it is frozen: its campaigns, goals, budget and thresholds "
            "can no longer be added or changed."
        ) % {"plan": self}

    @property
    def goals_are_frozen(self) -> bool:
        """Once approved, a plan's targets and budget change only through an approved adjustment."""
        return self.status in (PlanStatus.APPROVED, PlanStatus.ACTIVE)

    @property
    def is_budget_adjusted(self) -> bool:
        return self.original_budget is not None and self.original_budget != self.budget


class PlanSection(models.TextChoices):
    REVIEW = "review", _("Last year's review")
    CHALLENGE = "challenge", _("Problems and challenges")
    STRATEGY = "strategy", _("Strategies")
    SAFEGUARD = "safeguard", _("Safeguards")


class PlanItemCategory(models.TextChoices):
    # last year's review, by area
    RESULTS = "results", _("Results")
    CHANNELS = "channels", _("Channel efficiency")
    BRAND = "brand", _("Brand")
    CUSTOMERS = "customers", _("Customers")
    # problems and challenges
    COMPETITION = "competition", _("Competition")
    CONVERSION = "conversion", _("Conversion")
    RESOURCES = "resources", _("Resources")
    EXTERNAL = "external", _("External environment")
    # strategies
    PRODUCT = "product", _("Product")
    PRICE = "price", _("Price")
    CHANNEL = "channel", _("Channel")
    PROMOTION = "promotion", _("Promotion")
    # safeguards
    TEAM = "team", _("Team and KPIs")
    TRAINING = "training", _("Training")
    COLLABORATION = "collaboration", _("Collaboration")
    RISK = "risk", _("Risk controls")


SECTION_CATEGORIES = {
    PlanSection.REVIEW: [
        PlanItemCategory.RESULTS,
        PlanItemCategory.CHANNELS,
        PlanItemCategory.BRAND,
        PlanItemCategory.CUSTOMERS,
    ],
    PlanSection.CHALLENGE: [
        PlanItemCategory.COMPETITION,
        PlanItemCategory.CONVERSION,
        PlanItemCategory.RESOURCES,
        PlanItemCategory.EXTERNAL,
    ],
    PlanSection.STRATEGY: [
        PlanItemCategory.PRODUCT,
        PlanItemCategory.PRICE,
        PlanItemCategory.CHANNEL,
        PlanItemCategory.PROMOTION,
    ],
    PlanSection.SAFEGUARD: [
        PlanItemCategory.TEAM,
        PlanItemCategory.TRAINING,
        PlanItemCategory.COLLABORATION,
        PlanItemCategory.RISK,
    ],
}


class PlanItem(models.Model):
    """One structured entry of a plan's narrative: a review item, a challenge, a strategy
    or a safeguard, each in its category."""

    plan = models.ForeignKey(AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items")
    section = models.CharField(_("section"), max_length=12, choices=PlanSection.choices)
    category = models.CharField(_("category"), max_length=16, choices=PlanItemCategory.choices)
    # In both languages, shown in the reader's (the other when one is empty).
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_zh = models.TextField(_("details (Chinese)"), blank=True)
    body_en = models.TextField(_("details (English)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "section", "sort_order", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.CheckConstraint(condition=~Q(title_zh="", title_en=""), name="plan_item_has_a_title"),
            models.CheckConstraint(
                condition=Q(
                    *[
                        Q(section=section, category__in=categories)
                        for section, categories in SECTION_CATEGORIES.items()
                    ],
                    _connector=Q.OR,
                ),
                name="plan_item_category_fits_section",
            ),
        ]

    title = bilingual("title")
    body = bilingual("body")

    def __str__(self):
        return self.title


class QuarterFocus(models.Model):
    plan = models.ForeignKey(AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="quarters")
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)])
    # In both languages, shown in the reader's (the other when one is empty).
    theme_zh = models.CharField(_("theme (Chinese)"), max_length=200, blank=True)
    theme_en = models.CharField(_("theme (English)"), max_length=200, blank=True)
    key_actions_zh = models.TextField(_("key actions (Chinese)"), blank=True)
    key_actions_en = models.TextField(_("key actions (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "quarter"]
        verbose_name = _("quarterly focus")
        verbose_name_plural = _("quarterly focus")
        constraints = [
            models.UniqueConstraint(fields=["plan", "quarter"], name="one_focus_per_quarter"),
            models.CheckConstraint(condition=~Q(theme_zh="", theme_en=""), name="quarter_focus_has_a_theme"),
        ]

    theme = bilingual("theme")
    key_actions = bilingual("key_actions")

    def __str__(self):
        return f"Q{self.quarter} {self.theme}"


class CampaignType(models.TextChoices):
    NEW_PRODUCT_LAUNCH = "launch", _("New product launch")
    MAJOR_PROMOTION = "promotion", _("Major promotion")
    BRAND_PROGRAMME = "brand", _("Brand programme")
    REGIONAL_EXPANSION = "regional", _("Regional expansion")


class CampaignStatus(models.TextChoices):
    PLANNING = "planning", _("planning")
    EXECUTING = "executing", _("executing")
    REVIEWING = "reviewing", _("reviewing")
    ARCHIVED = "archived", _("archived")


class Campaign(ValuesVersioned):
    """A marketing programme (营销方案) that carries out part of a plan."""

    plan = models.ForeignKey(AnnualPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=12, choices=CampaignType.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_campaigns"
    )
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), validators=[validate_date_in_window])
    end_date = models.DateField(_("end date"), validators=[validate_date_in_window])
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, default=Decimal("0"))
    # The budget as first approved, set when an approved adjustment first changes it.
    original_budget = models.DecimalField(
        _("original budget"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.PLANNING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords(excluded_fields=["values_version"])
    # The campaign's chat groups (removed with the campaign).
    webhooks = GenericRelation(
        ChatWebhook, content_type_field="scope_type", object_id_field="scope_id", related_query_name="campaign"
    )

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="campaign_ends_after_start"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="campaign_budget_not_negative"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:campaign_detail", args=[self.pk])

    @property
    def goals_are_frozen(self) -> bool:
        """Once executing, a campaign's goals, sub-goals and budget change only through an
        approved adjustment; a planning campaign edits freely."""
        return self.status != CampaignStatus.PLANNING

    @property
    def is_budget_adjusted(self) -> bool:
        return self.original_budget is not None and self.original_budget != self.budget


class TargetCategory(models.TextChoices):
    PERFORMANCE = "performance", _("Performance")
    BRAND = "brand", _("Brand")
    CUSTOMER = "customer", _("Customer")


class Target(models.Model):
    """A measurable goal on one metric, of a plan or of a campaign; sub-goals are children."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent goal"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    metric = models.ForeignKey(Metric, verbose_name=_("metric"), on_delete=models.PROTECT, related_name="targets")
    name = models.CharField(_("name"), max_length=200, blank=True, help_text=_("Empty uses the metric's name."))
    category = models.CharField(_("category"), max_length=12, choices=TargetCategory.choices)
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=18, decimal_places=4, null=True, blank=True, help_text=_("Last year's actual.")
    )
    target_value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    # The target as first approved, kept when an approved adjustment changes target_value; empty
    # while the target was never adjusted. Attainment uses target_value; pages and the review
    # show the original beside it.
    original_value = models.DecimalField(
        _("original target"), max_digits=18, decimal_places=4, null=True, blank=True, editable=False
    )
    period_start = models.DateField(_("period start"), validators=[validate_date_in_window])
    period_end = models.DateField(_("period end"), validators=[validate_date_in_window])
    q1 = models.DecimalField("Q1", max_digits=18, decimal_places=4, null=True, blank=True)
    q2 = models.DecimalField("Q2", max_digits=18, decimal_places=4, null=True, blank=True)
    q3 = models.DecimalField("Q3", max_digits=18, decimal_places=4, null=True, blank=True)
    q4 = models.DecimalField("Q4", max_digits=18, decimal_places=4, null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=(Q(plan__isnull=False) & Q(campaign__isnull=True))
                | (Q(plan__isnull=True) & Q(campaign__isnull=False)),
                name="target_belongs_to_a_plan_or_a_campaign",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="target_period_in_order"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        name = self.name or self.metric.name
        return f"{name} · {self.channel.name}" if self.channel_id and not self.name else name

    @property
    def is_adjusted(self) -> bool:
        return self.original_value is not None and self.original_value != self.target_value

    @property
    def quarters(self) -> list:
        return [self.q1, self.q2, self.q3, self.q4]

    @property
    def has_quarterly_split(self) -> bool:
        return any(value is not None for value in self.quarters)


class BudgetCategory(models.TextChoices):
    CHANNEL = "channel", _("Channels")
    PROMOTION = "promotion", _("Promotion")
    PRODUCT = "product", _("Product")
    PEOPLE = "people", _("People")


class BudgetLine(models.Model):
    plan = models.ForeignKey(AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=10, choices=BudgetCategory.choices)
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), null=True, blank=True, on_delete=models.PROTECT, related_name="budget_lines"
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    planned_amount = models.DecimalField(_("planned amount"), max_digits=14, decimal_places=2)
    # The amount as first approved, set when an approved adjustment first changes it.
    original_amount = models.DecimalField(
        _("original amount"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "category", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [models.CheckConstraint(condition=Q(planned_amount__gte=0), name="budget_line_not_negative")]

    def __str__(self):
        return f"{self.get_category_display()} {self.planned_amount}"

    @property
    def label(self) -> str:
        """The line as a person names it: its category, and its channel or description."""
        detail = self.channel.name if self.channel_id else self.description
        return f"{self.get_category_display()} · {detail}" if detail else self.get_category_display()

    @property
    def is_adjusted(self) -> bool:
        return self.original_amount is not None and self.original_amount != self.planned_amount


class ValueSource(models.TextChoices):
    MANUAL = "manual", _("manual entry")
    IMPORT = "import", _("file import")
    API = "api", _("API")


# The key of a metric value: the fields of its unique constraint, in the constraint's order
# (campaign first: its index also serves a campaign's values).
METRIC_VALUE_KEY = ("campaign", "metric", "date", "channel", "plan")


def metric_value_key(*, metric_id: int, plan_id: int, campaign_id: int | None, channel_id: int | None, date) -> tuple:
    """The key of a metric value, one value per metric, scope, channel and day: the ids of
    METRIC_VALUE_KEY in its order, as `values_list(*METRIC_VALUE_KEY)` reads them back."""
    return (campaign_id, metric_id, date, channel_id, plan_id)


class MetricValue(models.Model):
    """An actual measured against the plan. Unique per (metric, campaign or plan, channel, date):
    recording it again updates it."""

    metric = models.ForeignKey(
        Metric, verbose_name=_("metric"), on_delete=models.PROTECT, related_name="values", db_index=False
    )
    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="metric_values", db_index=False
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="metric_values",
        db_index=False,
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="metric_values",
        db_index=False,
    )
    date = models.DateField(_("date"), validators=[validate_date_in_window])
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    source = models.CharField(_("source"), max_length=10, choices=ValueSource.choices, default=ValueSource.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True, db_default=Now(), db_index=True)

    class Meta:
        ordering = ["-date", "metric", "pk"]
        verbose_name = _("metric value")
        verbose_name_plural = _("metric values")
        # The table grows to millions of rows and imports write 100,000 at a time: every index
        # costs each write, so it holds the ones the reads need and no more (bench/README.md,
        # import_metric_values.py). The foreign keys have no index of their own
        # (db_index=False): campaign and plan lead the two below, which serve their cascades;
        # a metric, channel or user is deleted rarely, and finding its rows may scan the table.
        indexes = [
            # A plan's values (a plan target's scope, costs, the monthly review, the ranking).
            models.Index(fields=["plan", "metric", "date"], name="metric_value_plan_metric_day"),
        ]
        constraints = [
            # The rule itself, whatever writes the row: one value per metric, campaign (or
            # plan), channel and day, a NULL campaign or channel counting as one value
            # (NULLS NOT DISTINCT; on SQLite a unique index on COALESCE(column, 0)). Its index
            # also serves a campaign's values (campaign first, then metric and date) and is
            # the arbiter of the upserts (plans.services).
            UniqueNullsNotDistinct(fields=METRIC_VALUE_KEY, name="one_metric_value_per_key"),
        ]

    def __str__(self):
        return f"{self.metric.code} {self.date} = {self.value}"


class CalendarDay(models.Model):
    """A day the administrator marks as off (a holiday) or on (a make-up working day, 调休),
    for years the Chinese calendar package does not know yet or a company's own days; it wins
    over the package when working days are counted (core.workdays)."""

    date = models.DateField(_("date"), unique=True, validators=[validate_date_in_window])
    is_working_day = models.BooleanField(
        _("working day"), default=False, help_text=_("Ticked: a make-up working day. Unticked: a holiday.")
    )
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("e.g. 国庆节 or 调休"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}".strip()
