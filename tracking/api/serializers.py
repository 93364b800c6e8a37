"""Serializers of the tracking API. They validate input and shape output; every write goes
through tracking.services, called by the viewsets.

Metrics and channels are referred to by their code, everything else by id.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from core.api.serializers import IdRelatedField, ServiceInputMixin, code_field
from plans.models import Channel, Metric

from ..models import Alert, AlertState, Issue, Severity, Threshold, ThresholdKind
from ..rules import describe


# Several models here have a "kind" and a "state": each is one named enum in the schema, so
# drf-spectacular does not warn about colliding names.
def _enum_field(choices_class, component_name: str):
    @extend_schema_field({"type": "string", "enum": choices_class.values}, component_name=component_name)
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices_class.choices, **kwargs)

    EnumField.__name__ = component_name.removesuffix("Enum") + "Field"
    return EnumField


ThresholdKindField = _enum_field(ThresholdKind, "ThresholdKindEnum")
SeverityField = _enum_field(Severity, "SeverityEnum")
AlertStateField = _enum_field(AlertState, "AlertStateEnum")

RULE_HELP = _("What the threshold checks, in words, in the language of the request.")


# Thresholds -------------------------------------------------------------------------------


class ThresholdSerializer(ServiceInputMixin, serializers.ModelSerializer):
    kind = ThresholdKindField()
    severity = SeverityField(required=False, help_text=_("Defaults to warning."))
    rule = serializers.SerializerMethodField(help_text=RULE_HELP)
    metric = code_field(
        Metric.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Metric code, for the value and benchmark kinds; empty uses the target's metric."),
    )
    channel = code_field(Channel.objects.all(), required=False, allow_null=True, help_text=_("Channel code."))
    recipients = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        many=True,
        required=False,
        help_text=_(
            "User ids of people to notify besides the campaign's owner (and the scope's Responsible and "
            "Accountable people)."
        ),
    )

    class Meta:
        model = Threshold
        fields = [
            "id",
            "kind",
            "rule",
            "target",
            "campaign",
            "plan",
            "metric",
            "channel",
            "percent",
            "paced",
            "bound",
            "window_days",
            "benchmark_value",
            "benchmark_source",
            "budget_line",
            "min_count",
            "severity",
            "recipients",
            "is_active",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_by", "created_at", "updated_at"]
        create_only_fields = ["target", "campaign", "plan"]
        extra_kwargs = {
            "target": {"help_text": _("A plan target, or a campaign goal or sub-goal; its campaign or plan follows.")},
            "campaign": {"help_text": _("For a threshold on a whole campaign (or give the target).")},
            "plan": {"help_text": _("The plan of a plan target (or give the target).")},
            "percent": {"help_text": Threshold._meta.get_field("percent").help_text},
            "bound": {"help_text": _("For the value kinds: the limit for the metric over the window.")},
            "window_days": {"help_text": _("For the value kinds: how many days the metric is aggregated over.")},
            "budget_line": {"help_text": _("For cost above budget: a budget line instead of the campaign's budget.")},
        }

    def get_rule(self, obj) -> str:
        return describe(obj)

    def validate(self, attrs):
        if self.instance is None:
            target, campaign, plan = attrs.get("target"), attrs.get("campaign"), attrs.get("plan")
            if not (target or campaign or plan):
                raise serializers.ValidationError({"target": _("Give a target, a campaign or a plan.")})
            if target and campaign and target.campaign_id != campaign.pk:
                raise serializers.ValidationError({"campaign": _("The target is not a goal of this campaign.")})
            if target and plan and target.plan_id != plan.pk:
                raise serializers.ValidationError({"plan": _("The target is not a target of this plan.")})
            if campaign and plan and campaign.plan_id != plan.pk:
                raise serializers.ValidationError({"plan": _("The campaign belongs to another plan.")})
        line = attrs.get("budget_line")
        if line is not None:
            campaign, plan = self.scope(attrs)
            plan_id = campaign.plan_id if campaign is not None else getattr(plan, "pk", None)
            if plan_id != line.plan_id:
                raise serializers.ValidationError({"budget_line": _("The budget line belongs to another plan.")})
        return attrs

    def scope(self, attrs: dict) -> tuple:
        """(campaign, plan) of the threshold being written: given, or its target's; the plan
        only when there is no campaign."""
        instance = self.instance

        def given(name):
            if name in attrs:
                return attrs[name]
            return getattr(instance, name) if instance is not None else None

        target, campaign, plan = given("target"), given("campaign"), given("plan")
        if campaign is None and target is not None and target.campaign_id:
            campaign = target.campaign
        if plan is None and target is not None and target.plan_id:
            plan = target.plan
        return campaign, (None if campaign is not None else plan)


# Alerts -----------------------------------------------------------------------------------


class AlertSerializer(serializers.ModelSerializer):
    kind = ThresholdKindField(source="threshold.kind", read_only=True)
    rule = serializers.SerializerMethodField(help_text=RULE_HELP)
    severity = SeverityField(read_only=True)
    state = AlertStateField(read_only=True)
    campaign_name = serializers.CharField(source="campaign.name", read_only=True, default=None, allow_null=True)
    target_label = serializers.CharField(source="target.label", read_only=True, default=None, allow_null=True)
    overdue_for_acknowledgement = serializers.SerializerMethodField(
        help_text=_("Open beyond the response time (24 hours by default) and not acknowledged.")
    )
    acknowledged_by_name = serializers.CharField(
        source="acknowledged_by.display_name", read_only=True, default=None, allow_null=True
    )
    resolved_by_name = serializers.CharField(
        source="resolved_by.display_name", read_only=True, default=None, allow_null=True
    )
    url = serializers.SerializerMethodField(help_text=_("The alert's page."))

    class Meta:
        model = Alert
        fields = [
            "id",
            "threshold",
            "kind",
            "rule",
            "campaign",
            "campaign_name",
            "target",
            "target_label",
            "severity",
            "state",
            "summary",
            "observed",
            "expected",
            "opened_at",
            "last_checked_at",
            "overdue_for_acknowledgement",
            "analysis_note",
            "acknowledged_by",
            "acknowledged_by_name",
            "acknowledged_at",
            "escalated_at",
            "resolved_by",
            "resolved_by_name",
            "resolved_at",
            "issue",
            "url",
            "updated_at",
        ]
        read_only_fields = fields

    def get_rule(self, obj) -> str:
        return describe(obj.threshold)

    def get_overdue_for_acknowledgement(self, obj) -> bool:
        return obj.is_overdue_for_acknowledgement(self.context.get("now") or timezone.now())

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class AlertAcknowledgeSerializer(serializers.Serializer):
    analysis_note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required, unless an issue is named: what is being looked at, and by whom."),
    )
    issue = IdRelatedField(
        queryset=Issue.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Optional: the id of an issue of the alert's campaign that holds its analysis; the alert links to it."
        ),
    )


class AlertResolveSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("Optional: what was done; added to the analysis.")
    )
