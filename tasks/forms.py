from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department, User
from core.forms import BootstrapFormMixin

from .models import AssignmentRole, Milestone, Stage, Task, TaskStatus

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choice_of(assignment) -> str:
    return f"user:{assignment.user_id}" if assignment.user_id else f"department:{assignment.department_id}"


class TaskForm(BootstrapFormMixin, forms.ModelForm):
    """A task with its RACI: one Responsible and one Accountable among the people who carry
    tasks, and any Consulted and Informed people and departments."""

    consulted = forms.MultipleChoiceField(
        label=_("Consulted (C)"),
        required=False,
        help_text=_(
            "People or departments asked for their opinion before the work is done. "
            "Hold Ctrl (⌘ on a Mac) to choose several."
        ),
    )
    informed = forms.MultipleChoiceField(
        label=_("Informed (I)"),
        required=False,
        help_text=_("People or departments told about the result. Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    field_order = [
        "name",
        "stage",
        "milestone",
        "description",
        "deliverable",
        "responsible",
        "accountable",
        "consulted",
        "informed",
        "departments",
    ]

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
        task = self.instance if self.instance.pk else None
        # Only people who carry tasks are offered as R and A; a task keeps its current ones.
        owners = User.objects.task_carriers()
        if task is not None:
            owners = owners | User.objects.filter(pk__in=[task.responsible_id, task.accountable_id])
        owners = owners.order_by("name", "username")
        self.fields["responsible"].queryset = owners
        self.fields["accountable"].queryset = owners
        departments = list(Department.objects.order_by("name"))
        self.fields["departments"].queryset = Department.objects.all()
        self.fields["departments"].required = False
        self._parties_by_key = {}
        self._set_party_choices(task, departments)

    def _set_party_choices(self, task: Task | None, departments: list[Department]) -> None:
        """C and I choose among active people (and the task's current ones) and departments,
        in two groups; a choice is "user:<id>" or "department:<id>"."""
        assigned = list(task.assignments.select_related("user", "department")) if task is not None else []
        assigned_people = [a.user for a in assigned if a.user_id]
        # People of the organisation (with a role), not an account without one such as the administrator's.
        with_a_role = User.objects.filter(groups__isnull=False).values("pk")
        people = {
            person.pk: person
            for person in User.objects.active().filter(pk__in=with_a_role).order_by("name", "username")
        }
        for person in assigned_people:
            people.setdefault(person.pk, person)
        for person in people.values():
            self._parties_by_key[f"user:{person.pk}"] = person
        for department in departments:
            self._parties_by_key[f"department:{department.pk}"] = department
        person_choices = [(f"user:{person.pk}", person.display_name) for person in people.values()]
        department_choices = [(f"department:{department.pk}", department.name) for department in departments]
        choices = [(pgettext_lazy("persons", "People"), person_choices), (_("Departments"), department_choices)]
        for name, role in (("consulted", AssignmentRole.CONSULTED), ("informed", AssignmentRole.INFORMED)):
            field = self.fields[name]
            field.choices = choices
            field.widget.attrs["size"] = 6
            field.initial = [_choice_of(a) for a in assigned if a.role == role]

    def parties(self, name: str) -> list:
        """The people and departments chosen as Consulted or Informed (`name`), for the service."""
        return [self._parties_by_key[key] for key in self.cleaned_data.get(name, [])]


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
