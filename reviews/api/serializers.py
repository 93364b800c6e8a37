"""Serializers of the reviews API: reviews with their form 4 lines (figures computed, never
typed), lessons, follow-up actions, and the knowledge base's search results."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User
from core.api.serializers import IdRelatedField, code_field
from plans.models import Channel, Metric

from ..models import FollowUpAction, Lesson, Review, ReviewComment, ReviewLine

FOUR, TENTH = Decimal("0.0001"), Decimal("0.1")


# A line's figures are computed (plans' attainment of the goal), never typed: a request that
# sends one is refused with a 400 naming it, rather than silently ignored.
COMPUTED_LINE_FIELDS = (
    "target",
    "target_value",
    "original_target",
    "actual",
    "attainment",
    "original_attainment",
    "met",
    "direction",
)

COMPUTED_REFUSAL = _("Computed from the goal and its recorded values: it cannot be written.")


class ReviewLineSerializer(serializers.ModelSerializer):
    """A line: on create, its review and the metric of a goal of the campaign (a line a manager
    adds); afterwards only its dimension, analysis and suggestion change."""

    review = IdRelatedField(queryset=Review.objects.all())
    metric = code_field(Metric.objects.all(), help_text=_("The code of a metric the campaign has a goal on."))
    dimension_name = serializers.CharField(read_only=True)
    target_value = serializers.SerializerMethodField(help_text=_("The target (live while the review is a draft)."))
    original_target = serializers.SerializerMethodField(help_text=_("The target as first approved, if adjusted."))
    actual = serializers.SerializerMethodField()
    attainment = serializers.SerializerMethodField(help_text=_("Actual ÷ target × 100, from plans' attainment."))
    original_attainment = serializers.SerializerMethodField()
    met = serializers.SerializerMethodField(help_text=_("Whether the goal was met, for its direction."))

    class Meta:
        model = ReviewLine
        fields = [
            "id",
            "review",
            "target",
            "metric",
            "dimension",
            "dimension_label",
            "dimension_name",
            "name",
            "target_value",
            "original_target",
            "actual",
            "attainment",
            "original_attainment",
            "met",
            "direction",
            "analysis",
            "suggestion",
            "sort_order",
            "added",
            "updated_at",
        ]
        read_only_fields = ["target", "direction", "sort_order", "added", "updated_at"]
        create_only_fields = ["review", "metric", "name"]
        extra_kwargs = {"name": {"required": False}}
        validators = []  # the service says when a goal already has its line

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            for name in self.Meta.create_only_fields:
                fields[name].read_only = True
        return fields

    def validate(self, attrs):
        sent = getattr(self, "initial_data", None) or {}
        computed = [name for name in COMPUTED_LINE_FIELDS if name in sent]
        if computed:
            raise serializers.ValidationError({name: [COMPUTED_REFUSAL] for name in computed})
        return attrs

    def _figures(self, line):
        figures = self.context.get("figures", {}).get(line.pk)
        if figures is None:
            from ..figures import frozen_figures

            figures = frozen_figures(line)
        return figures

    def get_target_value(self, line) -> str | None:
        return _text(self._figures(line).target, FOUR)

    def get_original_target(self, line) -> str | None:
        return _text(self._figures(line).original_target, FOUR)

    def get_actual(self, line) -> str | None:
        return _text(self._figures(line).actual, FOUR)

    def get_attainment(self, line) -> str | None:
        return _text(self._figures(line).attainment, TENTH)

    def get_original_attainment(self, line) -> str | None:
        return _text(self._figures(line).original_attainment, TENTH)

    def get_met(self, line) -> bool | None:
        return self._figures(line).met


def _text(value, places: Decimal) -> str | None:
    """A decimal as the API writes decimals: a string with fixed places."""
    return None if value is None else str(Decimal(str(value)).quantize(places))


class ReviewSerializer(serializers.ModelSerializer):
    """A review; its meeting and the report's four parts are written while it is a draft, its
    state changes through the finalise and archive actions."""

    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    participants = IdRelatedField(
        many=True, required=False, queryset=User.objects.filter(is_active=True), help_text=_("Ids of people.")
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "campaign",
            "campaign_name",
            "state",
            "due_date",
            "meeting_date",
            "participants",
            "overview",
            "conclusion",
            "what_worked",
            "shortfalls",
            "finalised_at",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["campaign", "state", "due_date", "finalised_at", "archived_at", "created_at", "updated_at"]

    def values(self) -> dict:
        """The service's input: what was sent, the review's current values for the rest."""
        data, review = self.validated_data, self.instance
        names = ("meeting_date", "overview", "conclusion", "what_worked", "shortfalls")
        values = {name: data[name] if name in data else getattr(review, name) for name in names}
        values["participants"] = data.get("participants")
        return values


class ReviewCommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewComment
        fields = ["id", "review", "author", "text", "created_at"]
        read_only_fields = ["id", "review", "author", "created_at"]
        extra_kwargs = {"text": {"max_length": 4000}}


class LessonSerializer(serializers.ModelSerializer):
    """A lesson: its kind, text, tags, stage, channels and metrics are written (while its review
    is a draft); its campaign type is its campaign's."""

    review = IdRelatedField(queryset=Review.objects.all())
    campaign = serializers.IntegerField(source="review.campaign_id", read_only=True)
    channels = code_field(Channel.objects.all(), many=True, required=False, help_text=_("Channel codes."))
    metrics = code_field(Metric.objects.filter(is_active=True), many=True, required=False, help_text=_("Metric codes."))

    class Meta:
        model = Lesson
        fields = [
            "id",
            "review",
            "campaign",
            "kind",
            "text",
            "tags",
            "campaign_type",
            "channels",
            "metrics",
            "stage",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["campaign_type", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["review"].read_only = True
        return fields

    def values(self) -> dict:
        data, lesson = self.validated_data, self.instance
        values = {name: data.get(name, getattr(lesson, name, "")) for name in ("kind", "text", "tags", "stage")}
        for name in ("channels", "metrics"):
            values[name] = data[name] if name in data else (list(getattr(lesson, name).all()) if lesson else [])
        return values


class FollowUpActionSerializer(serializers.ModelSerializer):
    """A follow-up action: its text, owner and due date are written while its review is a draft;
    ``done/`` marks it done."""

    review = IdRelatedField(queryset=Review.objects.all())
    campaign = serializers.IntegerField(source="review.campaign_id", read_only=True)
    owner = IdRelatedField(queryset=User.objects.all())

    class Meta:
        model = FollowUpAction
        fields = [
            "id",
            "review",
            "campaign",
            "action",
            "owner",
            "due_date",
            "state",
            "done_note",
            "done_at",
            "updated_at",
        ]
        read_only_fields = ["state", "done_note", "done_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["review"].read_only = True
        return fields

    def values(self) -> dict:
        data, item = self.validated_data, self.instance
        return {name: data[name] if name in data else getattr(item, name) for name in ("action", "owner", "due_date")}


class ActionDoneSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class KnowledgeSearchSerializer(serializers.Serializer):
    words = serializers.ListField(child=serializers.CharField(), help_text=_("The query's words, as segmented."))
    lessons = LessonSerializer(many=True)
    reviews = ReviewSerializer(many=True)
