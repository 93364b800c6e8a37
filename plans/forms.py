from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.dates import validate_date_in_window
from core.forms import BootstrapFormMixin

from .models import (
    SECTION_CATEGORIES,
    AnnualPlan,
    BudgetLine,
    Campaign,
    Channel,
    Metric,
    PlanItem,
    PlanItemCategory,
    QuarterFocus,
    Target,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def managers():
    return User.objects.active().filter(groups__name=Role.MARKETING_MANAGER).order_by("name", "username")


class PlanForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["year", "title", "owner", "budget", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = managers()


class PlanItemForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["category", "title", "body", "sort_order"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, section: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = SECTION_CATEGORIES[section]
        self.fields["category"].choices = [(c.value, PlanItemCategory(c).label) for c in allowed]


class QuarterFocusForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = QuarterFocus
        fields = ["theme", "key_actions"]
        widgets = {"key_actions": forms.Textarea(attrs={"rows": 4})}


class TargetForm(BootstrapFormMixin, forms.ModelForm):
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
            "q1",
            "q2",
            "q3",
            "q4",
            "sort_order",
        ]
        widgets = {"period_start": DATE_INPUT, "period_end": DATE_INPUT}
        help_texts = {
            "period_start": _("Empty: the plan's year or the campaign's dates."),
            "q1": _("Optional quarterly split (values); Q1–Q4 must add up to the target."),
        }

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
            for quarter in ("q1", "q2", "q3", "q4"):
                del self.fields[quarter]


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
                problem = metric.value_problem(value)
                if problem:
                    self.add_error(self.field_name(metric), problem)
        return cleaned

    def values(self):
        """(metric, value) for every filled-in field."""
        for metric in self.metrics:
            value = self.cleaned_data.get(self.field_name(metric))
            if value is not None:
                yield metric, value
