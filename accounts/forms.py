from django import forms
from django.contrib.auth.forms import PasswordChangeForm as BasePasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Language, User


class BootstrapFormMixin:
    """Give widgets Bootstrap's classes and mark fields with errors, for every form of the app."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "email", "phone", "language", "notify_by_email", "notify_by_chat"]


class PasswordChangeForm(BootstrapFormMixin, BasePasswordChangeForm):
    pass


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=Language.choices[1:])
    next = forms.CharField(required=False)
