from django import forms
from django.contrib.auth.forms import PasswordChangeForm as BasePasswordChangeForm
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from .models import Language, User


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "email", "phone", "language", "notify_by_email", "notify_by_chat"]


class PasswordChangeForm(BootstrapFormMixin, BasePasswordChangeForm):
    pass


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=Language.choices[1:])
    next = forms.CharField(required=False)
