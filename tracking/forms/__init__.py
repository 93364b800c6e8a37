from django import forms
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User
from core.formatting import format_money
from core.forms import BootstrapFormMixin, OptionalBooleanField
from notifications.models import ChatWebhook
from plans.models import AnnualPlan, BudgetLine, Campaign, Channel, Metric, Target

from ..models import AlertState, Severity, Threshold, ThresholdKind

# The fields each kind of threshold uses besides kind, severity, recipients and active; the
# page shows only these, and the others are cleared so a stale value cannot linger.
KIND_FIELDS = {
    ThresholdKind.ATTAINMENT_BELOW: ["target", "percent", "paced"],
    ThresholdKind.VALUE_BELOW: ["target", "metric", "channel", "bound", "window_days"],
    ThresholdKind.VALUE_ABOVE: ["target", "metric", "channel", "bound", "window_days"],
    ThresholdKind.BENCHMARK_BELOW: ["target", "metric", "channel", "percent", "benchmark_value", "benchmark_source"],
    ThresholdKind.COST_ABOVE_BUDGET: ["percent", "budget_line"],
    ThresholdKind.TASKS_OVERDUE: ["min_count"],
    ThresholdKind.MILESTONE_MISSED: [],
}
KIND_SPECIFIC = sorted({name for names in KIND_FIELDS.values() for name in names})
# Kinds that watch a plan target (the others need a campaign).
PLAN_KINDS = [
    ThresholdKind.ATTAINMENT_BELOW,
    ThresholdKind.VALUE_BELOW,
    ThresholdKind.VALUE_ABOVE,
    ThresholdKind.BENCHMARK_BELOW,
]
EMPTY = {"paced": True, "benchmark_source": ""}


class TargetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"↳ {obj.label}" if obj.parent_id else obj.label


class BudgetLineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.description or (obj.channel.name if obj.channel_id else "")
        parts = [obj.get_category_display(), name, format_money(obj.planned_amount)]
        return " · ".join(part for part in parts if part)


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ThresholdForm(BootstrapFormMixin, forms.ModelForm):
    """A threshold of a campaign (on the whole campaign or one of its goals) or of a plan
    target. The scope comes from the page, never from the form."""

    class Meta:
        model = Threshold
        fields = [
            "kind",
            "target",
            "metric",
            "channel",
            "percent",
            "paced",
            "bound",
            "window_days",
            "benchmark_value",
            "benchmark_source",
            "budget_line",
            "min_count",
            "severity",
            "recipients",
            "is_active",
        ]
        field_classes = {
            "target": TargetChoiceField,
            "budget_line": BudgetLineChoiceField,
            "recipients": PersonChoiceField,
            # Both default to on: a post that leaves them out keeps that (or, on an edit, the
            # saved value), while a browser's unchecked box still switches them off.
            "paced": OptionalBooleanField,
            "is_active": OptionalBooleanField,
        }
        widgets = {"recipients": forms.SelectMultiple(attrs={"size": 6})}
        help_texts = {
            "metric": _("Empty: the target's metric."),
            "channel": _("Empty: every channel (the target's channel, if it has one)."),
            "bound": _("The limit for the metric aggregated over the window (sum, last value or average)."),
            "benchmark_source": _("Where the benchmark comes from, e.g. an industry report and its year."),
            "budget_line": _("Empty: the campaign's whole budget."),
        }

    def __init__(self, *args, campaign: Campaign | None = None, plan: AnnualPlan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign, self.plan = campaign, plan
        fields = self.fields
        if campaign is not None:
            fields["target"].queryset = Target.objects.filter(campaign=campaign).select_related("metric", "channel")
            fields["target"].empty_label = _("The whole campaign")
            fields["target"].label = _("goal or sub-goal")
            fields["budget_line"].queryset = BudgetLine.objects.filter(plan_id=campaign.plan_id).select_related(
                "channel"
            )
        else:
            fields["target"].queryset = Target.objects.filter(plan=plan).select_related("metric", "channel")
            fields["target"].required = True
            fields["kind"].choices = [(kind.value, kind.label) for kind in PLAN_KINDS]
            del fields["budget_line"]
        metric_id = self.instance.metric_id if self.instance.pk else None
        fields["metric"].queryset = Metric.objects.filter(Q(is_active=True) | Q(pk=metric_id))
        fields["metric"].empty_label = _("The target's metric")
        fields["channel"].queryset = Channel.objects.all()
        fields["channel"].empty_label = _("Every channel")
        fields["recipients"].queryset = User.objects.active().order_by("name", "username")
        fields["recipients"].required = False
        for name in ("percent", "bound", "benchmark_value"):
            fields[name].widget.attrs.update(step="any", inputmode="decimal")

    def rows(self) -> list[tuple]:
        """Each field with the kinds it belongs to (space-separated; empty for every kind), for
        the page's show/hide."""
        return [
            (self[name], " ".join(kind for kind, names in KIND_FIELDS.items() if name in names)) for name in self.fields
        ]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in KIND_FIELDS:
            for name in KIND_SPECIFIC:
                if name in self.fields and name not in KIND_FIELDS[kind]:
                    cleaned[name] = EMPTY.get(name)
        return cleaned


class AcknowledgeForm(BootstrapFormMixin, forms.Form):
    # Required by the service, which words the message.
    analysis_note = forms.CharField(
        label=_("analysis note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is being looked at, and by whom."),
    )


class ResolveForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("closing note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: what was done."),
    )


STATE_CHOICES = [
    ("unresolved", _("Unresolved (open or acknowledged)")),
    ("all", _("All states")),
    *AlertState.choices,
]


class AlertFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("state"), choices=STATE_CHOICES, required=False)
    severity = forms.ChoiceField(
        label=_("severity"), choices=[("", _("All severities")), *Severity.choices], required=False
    )
    campaign = forms.ModelChoiceField(
        label=_("campaign"), queryset=Campaign.objects.order_by("-start_date", "name"), required=False
    )
    overdue = forms.ChoiceField(
        label=_("overdue for acknowledgement"),
        choices=[("", _("Either")), ("yes", _("Overdue only")), ("no", _("Not overdue"))],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
        self.fields["campaign"].empty_label = _("All campaigns")

    def filters(self) -> dict:
        """The selector's arguments; unresolved alerts when nothing is chosen."""
        if not self.is_valid():
            return {"state": "unresolved"}
        data = self.cleaned_data
        state = data.get("state") or "unresolved"
        return {
            "state": None if state == "all" else state,
            "severity": data.get("severity") or None,
            "campaign": data.get("campaign"),
            "overdue": {"yes": True, "no": False}.get(data.get("overdue")),
        }


class WebhookForm(BootstrapFormMixin, forms.ModelForm):
    """A chat group's incoming webhook. The signing secret is never shown back: left empty
    on an edit, the saved one stays."""

    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("The group robot's address, copied from WeCom, DingTalk, Feishu or Slack."),
    )
    secret = forms.CharField(
        label=_("signing secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("DingTalk and Feishu signing (optional). When editing, leave it empty to keep the saved one."),
    )

    class Meta:
        model = ChatWebhook
        # The secret is not a model field here: the form never writes it onto the webhook, the
        # service decides (a blank one on an edit keeps the saved secret).
        fields = ["name", "kind", "url", "department", "is_active"]

    field_order = ["name", "kind", "url", "secret", "department", "is_active"]

    def __init__(self, *args, with_department: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_department:
            self.fields["department"].required = True
            self.fields["department"].queryset = Department.objects.order_by("name")
        else:
            del self.fields["department"]
