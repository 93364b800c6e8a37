"""Forms of the issue register (form 3): input validation only; the services decide the rules
(a deadline before the occurrence, a task of another campaign) and the pages show their
messages next to the field."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department, User
from core.forms import BootstrapFormMixin
from plans.models import Campaign
from tasks.models import Task

from ..models import Issue, IssueState
from . import AcknowledgeForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class TaskChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.stage.name_zh or obj.stage.name_en} · {obj.name}"


class IssueForm(BootstrapFormMixin, forms.ModelForm):
    """Every column of form 3, in the template's order, plus the severity."""

    class Meta:
        model = Issue
        fields = [
            "description",
            "occurred_at",
            "affected_tasks",
            "department",
            "temporary_measure",
            "root_cause",
            "long_term_solution",
            "deadline",
            "owner",
            "severity",
        ]
        field_classes = {"owner": PersonChoiceField, "affected_tasks": TaskChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "temporary_measure": forms.Textarea(attrs={"rows": 2}),
            "root_cause": forms.Textarea(attrs={"rows": 2}),
            "long_term_solution": forms.Textarea(attrs={"rows": 2}),
            "occurred_at": DATETIME_INPUT,
            "deadline": DATE_INPUT,
            "affected_tasks": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        # Tasks of any campaign are accepted here so that the service, not the form, names
        # the stranger; the list offers the campaign's own.
        fields["affected_tasks"].queryset = Task.objects.select_related("stage")
        fields["affected_tasks"].required = False
        self.campaign_tasks = Task.objects.filter(campaign=campaign).select_related("stage").order_by("due_date", "pk")
        fields["affected_tasks"].widget.choices = [
            (task.pk, fields["affected_tasks"].label_from_instance(task)) for task in self.campaign_tasks
        ]
        fields["department"].queryset = Department.objects.order_by("name")
        owner_id = self.instance.owner_id if self.instance.pk else None
        fields["owner"].queryset = User.objects.filter(Q(is_active=True) | Q(pk=owner_id)).order_by("name", "username")
        fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        fields["deadline"].label = pgettext_lazy("issue register", "deadline")


class TemporaryMeasureForm(BootstrapFormMixin, forms.ModelForm):
    """The one column the affected tasks' Responsible and Accountable may propose."""

    class Meta:
        model = Issue
        fields = ["temporary_measure"]
        widgets = {"temporary_measure": forms.Textarea(attrs={"rows": 3})}


class IssueStateForm(BootstrapFormMixin, forms.Form):
    state = forms.ChoiceField(label=_("state"), choices=IssueState.choices)
    state_reason = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the state changes; required to reopen a resolved issue."),
    )


ISSUE_STATE_CHOICES = [
    ("unresolved", _("Unresolved (open or mitigated)")),
    ("all", _("All states")),
    *IssueState.choices,
]


class IssueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("state"), choices=ISSUE_STATE_CHOICES, required=False)
    department = forms.ModelChoiceField(
        label=_("responsible department"), queryset=Department.objects.order_by("name"), required=False
    )
    owner = PersonChoiceField(
        label=pgettext_lazy("issue register", "owner"),
        queryset=User.objects.filter(is_active=True).order_by("name", "username"),
        required=False,
    )
    overdue = forms.ChoiceField(
        label=pgettext_lazy("issue register", "deadline"),
        choices=[("", _("Either")), ("yes", _("Past the deadline")), ("no", _("Not past the deadline"))],
        required=False,
    )
    campaign = forms.ModelChoiceField(
        label=_("campaign"), queryset=Campaign.objects.order_by("-start_date", "name"), required=False
    )

    def __init__(self, *args, with_campaign: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_campaign:
            del self.fields["campaign"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
        self.fields["department"].empty_label = _("All departments")
        self.fields["owner"].empty_label = _("Anyone")
        if with_campaign:
            self.fields["campaign"].empty_label = _("All campaigns")

    def filters(self) -> dict:
        """The selector's arguments; unresolved issues when nothing is chosen."""
        if not self.is_valid():
            return {"state": "unresolved"}
        data = self.cleaned_data
        state = data.get("state") or "unresolved"
        return {
            "state": None if state == "all" else state,
            "department": data.get("department"),
            "owner": data.get("owner"),
            "overdue": {"yes": True, "no": False}.get(data.get("overdue")),
            "campaign": data.get("campaign"),
        }


class AcknowledgeWithIssueForm(AcknowledgeForm):
    """Acknowledge an alert, optionally naming an issue of its campaign as its analysis (the
    note may then stay empty)."""

    issue = forms.ModelChoiceField(
        label=_("analysed in the issue"),
        queryset=Issue.objects.none(),
        required=False,
        help_text=_("Optional: an issue of the register that holds this alert's analysis."),
    )

    def __init__(self, *args, issues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if issues is None:
            del self.fields["issue"]
        else:
            self.fields["issue"].queryset = issues
            self.fields["issue"].empty_label = _("None: write the note")
            self.fields["issue"].widget.attrs["class"] = "form-select"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        help_text=_("Form 3 as exported here (XLSX) or CSV; rows with an id update that issue."),
    )
