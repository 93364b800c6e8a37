from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.api.filters import CODE_PATTERN
from core.forms import BootstrapFormMixin
from core.ids import parse_id
from plans.models import CampaignType, Channel, Metric

from .models import Dimension, LessonKind
from .search import Filters

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


class IdChoiceField(forms.ModelChoiceField):
    """A row by its id, read as core.ids reads ids: "١" is not the row 1 (Django's own field
    would take it, as int() does)."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(str(value)) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(value)[:50]}
            )
        return super().to_python(value)


class ActionForm(BootstrapFormMixin, forms.Form):
    action = forms.CharField(label=_("action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = IdChoiceField(label=_("owner"), queryset=User.objects.none())
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


class IdOrCodeChoiceField(forms.ModelChoiceField):
    """A row of reference data by its id (ASCII digits, as the page's select sends it) or its
    code (as an API client may): "²" or "١٢" is neither, nor is an id of no row."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        number = parse_id(value)
        if number is not None:
            lookup = {"pk": number}
        elif not (value.isascii() and value.isdigit()) and CODE_PATTERN.fullmatch(value):
            lookup = {"code": value}
        else:
            lookup = None
        row = self.queryset.filter(**lookup).first() if lookup else None
        if row is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value[:50]}
            )
        return row


class YearField(forms.IntegerField):
    """A year in ASCII digits ("٢٠٢٦" is refused, as int() would read it)."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not (value.strip().isascii() and value.strip().isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class KnowledgeSearchForm(BootstrapFormMixin, forms.Form):
    """The knowledge base's search and its filters: the page's form, and the API's parameters
    (the same names, checked the same way)."""

    q = forms.CharField(label=_("Keywords"), required=False, max_length=200)
    campaign_type = forms.ChoiceField(
        label=_("campaign type"), required=False, choices=[("", "—"), *CampaignType.choices]
    )
    channel = IdOrCodeChoiceField(label=_("channel"), required=False, queryset=Channel.objects.all())
    metric = IdOrCodeChoiceField(label=_("metric"), required=False, queryset=Metric.objects.all())
    tag = forms.CharField(label=_("tag"), required=False, max_length=50)
    year = YearField(label=_("year"), required=False, min_value=2000, max_value=2100)

    def filters(self) -> Filters:
        """The search's filters from the valid form."""
        data = self.cleaned_data
        return Filters(
            campaign_type=data["campaign_type"],
            channel=data["channel"].pk if data["channel"] else None,
            metric=data["metric"].pk if data["metric"] else None,
            tag=data["tag"].strip(),
            year=data["year"],
        )
