"""Forms of the adjustment pages: input only; the services check and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from .models import AdjustmentKind
from .services.adjustments import OPTIONAL_FIELDS, ProposedChange


def _field_name(row: dict) -> str:
    return f"v-{row['subject']}-{row['object_id']}-{row['field']}"


def _clear_name(row: dict) -> str:
    return f"clear-{row['subject']}-{row['object_id']}-{row['field']}"


def _clearable(row: dict) -> bool:
    """A figure or date that may be empty (a quarter of the split, a task's start) and is set
    now: a blank box leaves it as it is, so emptying it is a tick of its own."""
    return not row["text"] and row["field"] in OPTIONAL_FIELDS and row["current"] is not None


class AdjustmentRequestForm(BootstrapFormMixin, forms.Form):
    """One field per value the request may change (blank: unchanged; a text as it is now),
    then the reason, the expected effect and the alerts and issues that led to it."""

    reason = forms.CharField(label=_("reason for the adjustment"), widget=forms.Textarea(attrs={"rows": 3}))
    expected_effect = forms.CharField(
        label=_("expected effect"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    changes_total = forms.BooleanField(
        label=_("this reallocation changes the total"),
        required=False,
        help_text=_("Unticked, money moved between budget lines keeps their total."),
    )
    alerts = forms.ModelMultipleChoiceField(
        label=_("alerts that led to it"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    issues = forms.ModelMultipleChoiceField(
        label=_("issues that led to it"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, kind: str, rows: list[dict], alerts, issues, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.value_fields = []
        for row in rows:
            name = _field_name(row)
            current = row["current"]
            if row["text"]:
                field = forms.CharField(
                    label=row["label"], required=False, initial=current, widget=forms.Textarea(attrs={"rows": 4})
                )
            elif row["date"]:
                field = forms.DateField(
                    label=row["label"], required=False, widget=forms.DateInput(attrs={"type": "date"})
                )
            else:
                field = forms.DecimalField(label=row["label"], required=False, max_digits=18, decimal_places=4)
            if not row["text"]:
                field.help_text = _("Now: %(value)s") % {"value": current if current is not None else "–"}
            field.widget.attrs["class"] = "form-control"
            self.fields[name] = field
            self.value_fields.append(name)
            if _clearable(row):
                self.fields[_clear_name(row)] = forms.BooleanField(
                    label=_("Empty %(what)s") % {"what": row["label"]}, required=False
                )
                self.value_fields.append(_clear_name(row))
        self.fields["alerts"].queryset = alerts
        self.fields["issues"].queryset = issues
        if kind != AdjustmentKind.BUDGET:
            del self.fields["changes_total"]
        if not alerts.exists():
            del self.fields["alerts"]
        if not issues.exists():
            del self.fields["issues"]

    def value_rows(self):
        """Each proposed value's field, with its "empty it" box when it has one."""
        return [(self[_field_name(row)], self[_clear_name(row)] if _clearable(row) else None) for row in self.rows]

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            if _clearable(row) and cleaned.get(_clear_name(row)) and cleaned.get(_field_name(row)) is not None:
                self.add_error(_field_name(row), _("Give a new value or tick “empty”, not both."))
        return cleaned

    def other_fields(self):
        return [self[name] for name in self.fields if name not in self.value_fields]

    def proposed_changes(self) -> list[ProposedChange]:
        """The values given (a text only when it differs from the current one)."""
        proposed = []
        for row in self.rows:
            value = self.cleaned_data.get(_field_name(row))
            if _clearable(row) and self.cleaned_data.get(_clear_name(row)):
                proposed.append(
                    ProposedChange(subject=row["subject"], object_id=row["object_id"], field=row["field"], after=None)
                )
                continue
            if row["text"]:
                if (value or "") == (row["current"] or ""):
                    continue
            elif value is None:
                continue
            proposed.append(
                ProposedChange(subject=row["subject"], object_id=row["object_id"], field=row["field"], after=value)
            )
        return proposed


class RejectForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("reason for the rejection"), widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
