from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import BootstrapFormMixin
from plans.models import Channel, Metric

from .models import Dimension, LessonKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people():
    return User.objects.active().order_by("name", "username")


class ReviewForm(BootstrapFormMixin, forms.Form):
    meeting_date = forms.DateField(label=_("meeting date"), required=False, widget=DATE_INPUT)
    participants = forms.ModelMultipleChoiceField(label=_("participants"), queryset=people(), required=False)
    overview = forms.CharField(
        label=_("achievement overview"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    conclusion = forms.CharField(
        label=_("overall assessment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    what_worked = forms.CharField(label=_("what worked"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    shortfalls = forms.CharField(label=_("lessons"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people()


class LineForm(BootstrapFormMixin, forms.Form):
    dimension = forms.ChoiceField(label=_("dimension"), choices=Dimension.choices)
    dimension_label = forms.CharField(label=_("dimension name"), required=False, max_length=100)
    analysis = forms.CharField(label=_("analysis"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    suggestion = forms.CharField(
        label=_("improvement suggestion"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NewLineForm(LineForm):
    metric = forms.ModelChoiceField(label=_("metric"), queryset=Metric.objects.none())

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].queryset = Metric.objects.filter(targets__campaign=campaign).distinct()


class ActionForm(BootstrapFormMixin, forms.Form):
    action = forms.CharField(label=_("action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("due date"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people()


class LessonForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=LessonKind.choices)
    text = forms.CharField(label=_("lesson"), widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.CharField(label=_("tags"), required=False, max_length=300, help_text=_("Separated by commas."))
    stage = forms.CharField(label=_("stage"), required=False, max_length=150)
    channels = forms.ModelMultipleChoiceField(label=_("channels"), queryset=Channel.objects.all(), required=False)
    metrics = forms.ModelMultipleChoiceField(
        label=_("metrics"), queryset=Metric.objects.filter(is_active=True), required=False
    )


class CommentForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
