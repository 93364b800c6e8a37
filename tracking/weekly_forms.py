"""Forms of the weekly progress log and the weekly review: input validation only; the
services in tracking.services.weekly_logs decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import validate_date_in_window
from core.forms import BootstrapFormMixin
from plans.weeks import parse_week

from .models import WeeklyLog, WeeklyLogRow

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The template's columns (form 2), in its order; the stage is the row's heading.
ROW_COLUMNS = ["planned_tasks", "completion", "key_figures", "problems", "measures", "next_focus"]


class WeekField(forms.CharField):
    """An ISO week (2026-W24) or any day of it (2026-06-10), as the week's Monday."""

    default_error_messages = {"invalid": _("Give a week as 2026-W24, or one of its days as 2026-06-10.")}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        monday = parse_week(value[:20])
        if monday is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return monday


class WeekForm(BootstrapFormMixin, forms.Form):
    week = WeekField(label=_("week"), required=False)


class WeeklyLogForm(BootstrapFormMixin, forms.Form):
    """A draft's meeting date, participants and summary, and every column of every row
    (fields named row-<id>-<column>)."""

    meeting_date = forms.DateField(
        label=WeeklyLog._meta.get_field("meeting_date").verbose_name,
        required=False,
        widget=DATE_INPUT,
        validators=[validate_date_in_window],
    )
    participants = forms.CharField(
        label=WeeklyLog._meta.get_field("participants").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    summary = forms.CharField(
        label=WeeklyLog._meta.get_field("summary").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, log: WeeklyLog, **kwargs):
        kwargs.setdefault(
            "initial", {"meeting_date": log.meeting_date, "participants": log.participants, "summary": log.summary}
        )
        self.log_rows = list(log.rows.all())
        initial = kwargs["initial"]
        for row in self.log_rows:
            for name in ROW_COLUMNS:
                initial.setdefault(f"row-{row.pk}-{name}", getattr(row, name))
        super().__init__(*args, **kwargs)
        for row in self.log_rows:
            for name in ROW_COLUMNS:
                self.fields[f"row-{row.pk}-{name}"] = forms.CharField(
                    label=WeeklyLogRow._meta.get_field(name).verbose_name,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"}),
                )

    def rows(self) -> list[dict]:
        """Each row with its bound fields, for the template."""
        return [{"row": row, "fields": [self[f"row-{row.pk}-{name}"] for name in ROW_COLUMNS]} for row in self.log_rows]

    def row_values(self) -> dict[int, dict[str, str]]:
        """The service's `rows`: row id → column → text."""
        data = self.cleaned_data
        return {row.pk: {name: data.get(f"row-{row.pk}-{name}", "") for name in ROW_COLUMNS} for row in self.log_rows}
