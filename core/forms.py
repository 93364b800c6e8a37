"""Form helpers for the pages of every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html


class BootstrapFormMixin:
    """Give widgets Bootstrap's classes and mark fields with errors, for every form of the app."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class MarkedCheckboxInput(forms.CheckboxInput):
    """A checkbox that posts a hidden marker beside it, so that "unchecked" and "not sent" can
    be told apart: a browser's unchecked box sends the marker alone (off), while a post that
    has neither the box nor the marker did not set the field at all (it keeps its value: the
    model's default on a new row). Use it with OptionalBooleanField."""

    @staticmethod
    def marker_name(name: str) -> str:
        return f"{name}-shown"

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<input type="hidden" name="{}" value="1">', box, self.marker_name(name))

    def value_from_datadict(self, data, files, name):
        if self.value_omitted_from_data(data, files, name):
            return None
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and self.marker_name(name) not in data


class OptionalBooleanField(forms.NullBooleanField):
    """A model's boolean with a default, on a MarkedCheckboxInput: True or False when the form
    sent it, None when it did not (a ModelForm then leaves the instance's value alone)."""

    widget = MarkedCheckboxInput

    def bound_data(self, data, initial):
        # A form shown again after an error keeps the value it did not change.
        return initial if data is None else data


def submit(form, service, **kwargs):
    """Call a service with a valid form's data; put the service's ValidationError on the form's
    fields (or on the form) and return None, so the page shows it next to what caused it."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None
