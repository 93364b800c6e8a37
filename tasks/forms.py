from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User
from core.forms import BootstrapFormMixin

from .models import Milestone, Stage, Task, TaskStatus

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TaskForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "name",
            "stage",
            "milestone",
            "description",
            "deliverable",
            "responsible",
            "accountable",
            "departments",
            "start_date",
            "due_date",
            "budget_amount",
            "people_needed",
            "materials",
        ]
        widgets = {
            "start_date": DATE_INPUT,
            "due_date": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 3}),
            "deliverable": forms.Textarea(attrs={"rows": 2}),
            "materials": forms.Textarea(attrs={"rows": 2}),
            "departments": forms.SelectMultiple(attrs={"size": 5}),
        }
        help_texts = {
            "responsible": _("The one owner (R) who does the work and updates its status every day."),
            "accountable": _("Who approves the result (A)."),
            "deliverable": _("How everyone will know it is done, e.g. “the page passes review and can be visited”."),
        }

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.filter(campaign=campaign)
        self.fields["milestone"].queryset = Milestone.objects.filter(campaign=campaign)
        people = User.objects.active().order_by("name", "username")
        self.fields["responsible"].queryset = people
        self.fields["accountable"].queryset = people
        self.fields["departments"].queryset = Department.objects.all()
        self.fields["departments"].required = False


class StatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=TaskStatus.choices)
    note = forms.CharField(label=_("note"), required=False, max_length=2000)
    progress = forms.IntegerField(label=_("progress %"), required=False, min_value=0, max_value=100)


class StageForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["name_zh", "name_en", "position"]


class MilestoneForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "stage", "due_date", "reached_on"]
        widgets = {"due_date": DATE_INPUT, "reached_on": DATE_INPUT}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.filter(campaign=campaign)
