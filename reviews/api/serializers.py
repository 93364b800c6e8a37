"""Serializers of the reviews API: reviews with their form 4 lines (figures computed, never
typed), lessons, follow-up actions, and the knowledge base's search results."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import FollowUpAction, Lesson, Review, ReviewLine

FOUR, TENTH = Decimal("0.0001"), Decimal("0.1")


class ReviewLineSerializer(serializers.ModelSerializer):
    metric = serializers.SlugRelatedField(slug_field="code", read_only=True)
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
            "updated_at",
        ]

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
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "campaign",
            "campaign_name",
            "state",
            "due_date",
            "meeting_date",
            "overview",
            "conclusion",
            "what_worked",
            "shortfalls",
            "finalised_at",
            "archived_at",
            "created_at",
            "updated_at",
        ]


class LessonSerializer(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="review.campaign_id", read_only=True)
    channels = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    metrics = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

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


class FollowUpActionSerializer(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="review.campaign_id", read_only=True)

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


class ActionDoneSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class KnowledgeSearchSerializer(serializers.Serializer):
    words = serializers.ListField(child=serializers.CharField(), help_text=_("The query's words, as segmented."))
    lessons = LessonSerializer(many=True)
    reviews = ReviewSerializer(many=True)
