from datetime import datetime, time, timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.dates import validate_date_in_window
from core.forms import BootstrapFormMixin

from .models import (
    SECTION_CATEGORIES,
    Aggregation,
    AnnualPlan,
    BudgetLine,
    Campaign,
    Channel,
    Metric,
    PlanItem,
    PlanItemCategory,
    QuarterFocus,
    Target,
    Unit,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def managers():
    return User.objects.active().filter(groups__name=Role.MARKETING_MANAGER).order_by("name", "username")


class PlanForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = [
            "year",
            "title",
            "owner",
            "budget",
            "adjustment_threshold",
            "summary",
            "ranking_output_metric",
            "ranking_cost_metric",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = managers()
        metrics = Metric.objects.filter(is_active=True)
        # A derived metric (a ratio) is not an output that adds up over a channel's week.
        output = metrics.filter(is_cost=False).exclude(aggregation=Aggregation.RATIO)
        self.fields["ranking_output_metric"].queryset = output
        self.fields["ranking_cost_metric"].queryset = metrics.filter(is_cost=True)
        # Left out, the plan keeps its threshold (5% on a new plan).
        self.fields["adjustment_threshold"].required = False

    def clean_adjustment_threshold(self):
        value = self.cleaned_data.get("adjustment_threshold")
        if value is None:
            return (
                self.instance.adjustment_threshold
                if self.instance.pk
                else AnnualPlan._meta.get_field("adjustment_threshold").default
            )
        return value


class PlanItemForm(BootstrapFormMixin, forms.ModelForm):
    """A review item, challenge, strategy or safeguard in both languages (either may be empty)."""

    class Meta:
        model = PlanItem
        fields = ["category", "title_zh", "title_en", "body_zh", "body_en", "sort_order"]
        widgets = {"body_zh": forms.Textarea(attrs={"rows": 4}), "body_en": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        if not (data.get("title_zh", "").strip() or data.get("title_en", "").strip()):
            self.add_error("title_zh", _("Give the item a title, in Chinese or in English."))
        return data

    def __init__(self, *args, section: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = SECTION_CATEGORIES[section]
        self.fields["category"].choices = [(c.value, PlanItemCategory(c).label) for c in allowed]


class QuarterFocusForm(BootstrapFormMixin, forms.ModelForm):
    """A quarter's theme and key actions in both languages (either may be empty)."""

    class Meta:
        model = QuarterFocus
        fields = ["theme_zh", "theme_en", "key_actions_zh", "key_actions_en"]
        widgets = {
            "key_actions_zh": forms.Textarea(attrs={"rows": 4}),
            "key_actions_en": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        data = super().clean()
        if not (data.get("theme_zh", "").strip() or data.get("theme_en", "").strip()):
            self.add_error("theme_zh", _("Give the quarter a theme, in Chinese or in English."))
        return data


class MetricSelect(forms.Select):
    """A metric's choice carries its unit (data-unit), so the page can show ¥ beside amounts."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-unit"] = instance.unit
        return option


QUARTERS = ("q1", "q2", "q3", "q4")


class TargetForm(BootstrapFormMixin, forms.ModelForm):
    """A goal; its quarterly split (Q1–Q4) is shown in a row of its own (see quarter_fields).
    The order among the goals is kept by the service (a new goal goes last)."""

    class Meta:
        model = Target
        fields = [
            "metric",
            "name",
            "category",
            "channel",
            "baseline",
            "target_value",
            "period_start",
            "period_end",
            *QUARTERS,
        ]
        widgets = {
            "metric": MetricSelect,
            "period_start": DATE_INPUT,
            "period_end": DATE_INPUT,
            **{quarter: forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}) for quarter in QUARTERS},
        }
        help_texts = {"period_start": _("Empty: the plan's year or the campaign's dates.")}

    def __init__(self, *args, parent: Target | None = None, quarterly: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].queryset = Metric.objects.filter(is_active=True)
        self.fields["channel"].queryset = Channel.objects.all()
        self.fields["period_start"].required = False
        self.fields["period_end"].required = False
        if parent is not None:
            # A sub-goal measures its parent's metric, typically split by channel.
            self.fields["metric"].queryset = Metric.objects.filter(pk=parent.metric_id)
            self.fields["metric"].initial = parent.metric_id
            self.fields["category"].initial = parent.category
        if not quarterly:
            for quarter in QUARTERS:
                del self.fields[quarter]
        self.parent = parent
        # Amounts as people type them: 24000000, not 24000000.0000.
        for name in ("baseline", "target_value", *QUARTERS):
            value = self.initial.get(name)
            if isinstance(value, Decimal) and name in self.fields:
                self.initial[name] = (
                    value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
                )

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name not in QUARTERS]

    @property
    def quarter_fields(self) -> list:
        """Q1–Q4, shown side by side under the other fields."""
        return [self[quarter] for quarter in QUARTERS if quarter in self.fields]

    @property
    def quarter_errors(self) -> list[str]:
        return [error for quarter in QUARTERS for error in self.errors.get(quarter, [])]

    @property
    def is_money(self) -> bool:
        """Whether the chosen metric is an amount in yuan (its quarters are shown with ¥)."""
        metric_id = self["metric"].value()
        metric = next((m for m in self.fields["metric"].queryset if str(m.pk) == str(metric_id)), None)
        return metric is not None and metric.unit == Unit.CURRENCY


class BudgetLineForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["category", "channel", "description", "planned_amount"]


class CampaignForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "type", "owner", "start_date", "end_date", "budget", "description"]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = managers() | User.objects.filter(pk=getattr(self.instance, "owner_id", None))


class StatusForm(forms.Form):
    status = forms.CharField()


class MetricEntryForm(BootstrapFormMixin, forms.Form):
    """Several metrics of one campaign for one day (and optionally one channel) at once."""

    date = forms.DateField(label=_("date"), widget=DATE_INPUT, validators=[validate_date_in_window])
    channel = forms.ModelChoiceField(
        label=_("channel"), queryset=Channel.objects.all(), required=False, empty_label=_("All channels (total)")
    )

    def __init__(self, *args, metrics: list[Metric], **kwargs):
        super().__init__(*args, **kwargs)
        self.metrics = metrics
        for metric in metrics:
            self.fields[self.field_name(metric)] = forms.DecimalField(
                label=f"{metric.name} ({metric.get_unit_display()})",
                required=False,
                max_digits=18,
                decimal_places=4,
                widget=forms.NumberInput(attrs={"step": "any", "class": "form-control", "inputmode": "decimal"}),
            )

    @staticmethod
    def field_name(metric: Metric) -> str:
        return f"metric_{metric.code}"

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(self.field_name(metric)) is not None for metric in self.metrics):
            raise forms.ValidationError(_("Enter at least one value."))
        for metric in self.metrics:
            value = cleaned.get(self.field_name(metric))
            if value is not None:
                problem = metric.recorded_value_problem(value)
                if problem:
                    self.add_error(self.field_name(metric), problem)
        return cleaned

    def values(self):
        """(metric, value) for every filled-in field."""
        for metric in self.metrics:
            value = self.cleaned_data.get(self.field_name(metric))
            if value is not None:
                yield metric, value


class APITokenForm(BootstrapFormMixin, forms.Form):
    """A new read-only token for a BI tool: what it is for, until when, and which plan it reads."""

    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What uses it, e.g. “Power BI sales dashboard”.")
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        validators=[validate_date_in_window],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day it works; empty: until it is revoked."),
    )
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=AnnualPlan.objects.order_by("-year", "title"),
        required=False,
        empty_label=_("Every plan"),
        help_text=_("Limit the token to one plan's data, or let it read every plan."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("The last day cannot be in the past."))
        return day

    def expires_at(self):
        """The end of the last day, in the site's time zone (the start of the next)."""
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
