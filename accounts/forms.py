from django import forms
from django.contrib.auth.forms import PasswordChangeForm as BasePasswordChangeForm
from django.contrib.auth.forms import PasswordResetForm as BasePasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as BaseSetPasswordForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from .models import Language, User


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "email", "phone", "language", "notify_by_email", "notify_by_chat"]


class PasswordChangeForm(BootstrapFormMixin, BasePasswordChangeForm):
    pass


class PasswordResetForm(BootstrapFormMixin, BasePasswordResetForm):
    """Django's form (no e-mail for an unknown, inactive or password-less account, and the same
    answer either way); the e-mail is written in the person's own language."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        language = context["user"].language or translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class SetPasswordForm(BootstrapFormMixin, BaseSetPasswordForm):
    pass


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=Language.choices[1:])
    next = forms.CharField(required=False)
