"""Serializers of the plans API. They validate input and shape output; every write goes
through plans.services, called by the viewsets.

Channels and metrics are referred to by their code, everything else by id.
"""

from collections.abc import Mapping
from dataclasses import fields as dataclass_fields

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator

from accounts.models import User
from core.api.serializers import IdField, ServiceInputMixin, code_field
from core.dates import validate_date_in_window

from ..attainment import Status
from ..models import (
    Aggregation,
    AnnualPlan,
    BudgetLine,
    Campaign,
    CampaignStatus,
    Channel,
    Direction,
    Metric,
    MetricValue,
    PlanItem,
    PlanStatus,
    QuarterFocus,
    Target,
)
from ..selectors import attainment_of, budget_use
from ..services import MetricInput, TargetInput, ValueRow, metric_value_problems

# Enough for a day of every metric on every channel of every campaign; larger loads are a
# file import.
MAX_BULK_ROWS = 5000


# Reference data ---------------------------------------------------------------------------


class ChannelSerializer(ServiceInputMixin, serializers.ModelSerializer):
    parent = code_field(
        Channel.objects.all(), required=False, allow_null=True, help_text=_("Code of the parent channel.")
    )
    name = serializers.CharField(read_only=True, help_text=_("The name in the language of the request."))

    class Meta:
        model = Channel
        fields = ["id", "code", "name", "name_en", "name_zh", "kind", "parent", "sort_order", "updated_at"]
        read_only_fields = ["updated_at"]


class MetricSerializer(ServiceInputMixin, serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("The name in the language of the request."))
    definition = serializers.CharField(read_only=True, help_text=_("The definition in the language of the request."))
    data_source = serializers.CharField(read_only=True, help_text=_("The data source in the language of the request."))
    numerator = code_field(
        Metric.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("A ratio of two metrics (aggregation ratio): the code of the metric above the line."),
    )
    denominator = code_field(
        Metric.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("A ratio of two metrics (aggregation ratio): the code of the metric below the line."),
    )

    class Meta:
        model = Metric
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "name_zh",
            "unit",
            "definition",
            "definition_en",
            "definition_zh",
            "data_source",
            "data_source_en",
            "data_source_zh",
            "period",
            "aggregation",
            "direction",
            "allow_negative",
            "is_cost",
            "is_active",
            "numerator",
            "denominator",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def metric_input(self) -> MetricInput:
        """The service's input: what was sent, and on an update the metric's values for the rest."""
        return MetricInput(**self.values_for(*(field.name for field in dataclass_fields(MetricInput))))


# Plans ------------------------------------------------------------------------------------


class PlanSerializer(ServiceInputMixin, serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        help_text=_("Defaults to the person who creates the plan."),
    )
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    campaign_count = serializers.IntegerField(read_only=True)
    target_count = serializers.IntegerField(read_only=True)
    ranking_output_metric = code_field(
        # A derived metric (a ratio) is not an output that adds up over a channel's week.
        Metric.objects.filter(is_cost=False).exclude(aggregation=Aggregation.RATIO),
        required=False,
        allow_null=True,
        help_text=_("Metric code of a channel's output in the channel-efficiency ranking; empty: units sold."),
    )
    ranking_cost_metric = code_field(
        Metric.objects.filter(is_cost=True),
        required=False,
        allow_null=True,
        help_text=_("Metric code of a channel's cost in the ranking; empty: every metric marked as marketing cost."),
    )

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "year",
            "title",
            "owner",
            "owner_name",
            "status",
            "summary",
            "budget",
            "original_budget",
            "adjustment_threshold",
            "approved_by",
            "approved_at",
            "campaign_count",
            "target_count",
            "ranking_output_metric",
            "ranking_cost_metric",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "approved_by", "approved_at", "original_budget", "created_at", "updated_at"]
        # The service validates the model's constraints; the status is not set here.
        validators = []


class PlanStatusChangeSerializer(serializers.Serializer):
    # Labelled as moves, not states: what the person asks for.
    status = serializers.ChoiceField(
        choices=[
            (PlanStatus.APPROVED, _("approve a draft (executives)")),
            (PlanStatus.ACTIVE, _("activate an approved plan (managers)")),
            (PlanStatus.CLOSED, _("close an active plan (managers)")),
            (PlanStatus.DRAFT, _("send an approved plan back to draft (managers)")),
        ],
        help_text=_("The status to move the plan to."),
    )
    force = serializers.BooleanField(
        default=False, help_text=_("Administrators only: make any move, skipping or going back.")
    )


class PlanItemSerializer(ServiceInputMixin, serializers.ModelSerializer):
    title = serializers.CharField(
        required=False,
        max_length=200,
        help_text=_(
            "The title in the language of the request. Sent, it is kept as the Chinese or the English "
            "title by its script; title_zh and title_en set each language."
        ),
    )
    body = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("The details in the language of the request; sent, kept by its script like the title."),
    )

    # The texts a request may send (the others are kept as they are).
    TEXTS = ("title", "body", "title_zh", "title_en", "body_zh", "body_en")

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "plan",
            "section",
            "category",
            "title",
            "title_zh",
            "title_en",
            "body",
            "body_zh",
            "body_en",
            "sort_order",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        create_only_fields = ["plan"]

    def texts(self) -> dict:
        """The texts sent, for plan_item_save."""
        return {name: self.validated_data[name] for name in self.TEXTS if name in self.validated_data}


class QuarterFocusSerializer(ServiceInputMixin, serializers.ModelSerializer):
    theme = serializers.CharField(
        required=False,
        max_length=200,
        help_text=_(
            "The theme in the language of the request. Sent, it is kept as the Chinese or the English "
            "theme by its script; theme_zh and theme_en set each language."
        ),
    )
    key_actions = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("The key actions in the language of the request; sent, kept by its script like the theme."),
    )

    # The texts a request may send (the others are kept as they are).
    TEXTS = ("theme", "key_actions", "theme_zh", "theme_en", "key_actions_zh", "key_actions_en")

    class Meta:
        model = QuarterFocus
        fields = [
            "id",
            "plan",
            "quarter",
            "theme",
            "theme_zh",
            "theme_en",
            "key_actions",
            "key_actions_zh",
            "key_actions_en",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        create_only_fields = ["plan", "quarter"]
        validators = [
            UniqueTogetherValidator(
                queryset=QuarterFocus.objects.all(),
                fields=["plan", "quarter"],
                message=_("This plan already has a focus for that quarter: change it instead."),
            )
        ]

    def texts(self) -> dict:
        """The texts sent, for quarter_focus_set."""
        return {name: self.validated_data[name] for name in self.TEXTS if name in self.validated_data}


class BudgetLineSerializer(ServiceInputMixin, serializers.ModelSerializer):
    channel = code_field(Channel.objects.all(), required=False, allow_null=True, help_text=_("Channel code."))
    share_percent = serializers.DecimalField(
        max_digits=None,
        decimal_places=1,
        read_only=True,
        allow_null=True,
        help_text=_("Share of the plan's total budget, or of the sum of its lines when it has none."),
    )

    spent = serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_(
            "Marketing cost recorded so far on the line's channel and its sub-channels (values of the metrics "
            "marked as cost); null for a line without a channel, to which no recorded cost can be matched."
        ),
    )
    remaining = serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_("Planned amount less spent: negative when the line is overspent; null when spent is."),
    )

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "plan",
            "category",
            "channel",
            "description",
            "planned_amount",
            "original_amount",
            "share_percent",
            "spent",
            "remaining",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        create_only_fields = ["plan"]

    def to_representation(self, instance):
        # budget_total and spent come annotated from selectors.budget_line_list.
        total = getattr(instance, "budget_total", None)
        instance.share_percent = instance.planned_amount / total * 100 if total else None
        budget_use(instance)
        return super().to_representation(instance)


# Campaigns --------------------------------------------------------------------------------


class CampaignSerializer(ServiceInputMixin, serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        help_text=_("Defaults to the person who creates the campaign."),
    )
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "plan",
            "name",
            "type",
            "owner",
            "owner_name",
            "description",
            "start_date",
            "end_date",
            "budget",
            "original_budget",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]
        create_only_fields = ["plan"]


class CampaignStatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            (CampaignStatus.EXECUTING, _("start executing a planned campaign")),
            (CampaignStatus.REVIEWING, _("start the review of an executed campaign")),
            (CampaignStatus.ARCHIVED, _("archive a reviewed campaign")),
            (CampaignStatus.PLANNING, _("back to planning (administrators, with force)")),
        ],
        help_text=_("The status to move the campaign to: the next one, unless an administrator forces it."),
    )
    force = serializers.BooleanField(
        default=False, help_text=_("Administrators only: skip a step or move the campaign back.")
    )


# Targets ----------------------------------------------------------------------------------


def _decimal(source: str | None, places: int, help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        source=source, max_digits=None, decimal_places=places, read_only=True, allow_null=True, help_text=help_text
    )


class TargetSerializer(ServiceInputMixin, serializers.ModelSerializer):
    """A goal with its actual and attainment. The actual is aggregated in the database
    (selectors.target_list); attainment is evaluated by plans.attainment, as on the pages."""

    metric = code_field(Metric.objects.all(), help_text=_("Metric code, e.g. units_sold."))
    metric_name = serializers.CharField(source="metric.name", read_only=True)
    channel = code_field(Channel.objects.all(), required=False, allow_null=True, help_text=_("Channel code."))
    label = serializers.CharField(read_only=True)
    actual = _decimal(None, 4, _("The metric aggregated over the period (sum, last value or average)."))
    direction = serializers.ChoiceField(
        source="metric.direction",
        choices=Direction.choices,
        read_only=True,
        help_text=_("The metric's direction: whether an attainment above 100% is a win (higher) or a miss (lower)."),
    )
    attainment_rate = _decimal(
        "attainment.rate",
        4,
        _("Actual / target (1 is 100%), for every metric; where lower is better, above 1 is a miss (see direction)."),
    )
    attainment_percent = _decimal("attainment.percent", 1, _("Actual / target × 100, for every metric."))
    expected_to_date = _decimal(
        "attainment.expected",
        4,
        _(
            "What should be reached by today: for a summed target, the share its quarterly split has made due "
            "(a straight line within each quarter), else the straight-line share of its period."
        ),
    )
    pace = _decimal("attainment.pace", 4, _("Actual / expected to date (1 is exactly on pace)."))
    status = serializers.ChoiceField(source="attainment.status", choices=Status.choices, read_only=True)
    status_label = serializers.CharField(source="attainment.status_label", read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "campaign",
            "parent",
            "metric",
            "metric_name",
            "name",
            "label",
            "category",
            "channel",
            "baseline",
            "target_value",
            "period_start",
            "period_end",
            "q1",
            "q2",
            "q3",
            "q4",
            "sort_order",
            "actual",
            "direction",
            "attainment_rate",
            "attainment_percent",
            "expected_to_date",
            "pace",
            "status",
            "status_label",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        create_only_fields = ["plan", "campaign", "parent"]
        extra_kwargs = {
            "plan": {"help_text": _("For a goal of the annual plan.")},
            "campaign": {"help_text": _("For a goal of a campaign.")},
            "parent": {"help_text": _("For a sub-goal: the goal it splits (its plan or campaign is the parent's).")},
            "period_start": {"required": False, "help_text": _("Defaults to the plan's year or the campaign's dates.")},
            "period_end": {"required": False, "help_text": _("Defaults to the plan's year or the campaign's dates.")},
        }

    def validate(self, attrs):
        if self.instance is None:
            given = [name for name in ("plan", "campaign", "parent") if attrs.get(name) is not None]
            if not given:
                raise serializers.ValidationError({"plan": _("Give a plan, a campaign or a parent goal.")})
            if len(given) > 1:
                raise serializers.ValidationError(
                    {name: _("Give only one of plan, campaign and parent.") for name in given[1:]}
                )
        return attrs

    def to_representation(self, instance):
        if not hasattr(instance, "attainment"):
            instance.attainment = attainment_of(instance, today=self.context.get("today"))
        return super().to_representation(instance)

    def target_input(self) -> TargetInput:
        return TargetInput(**self.values_for(*(field.name for field in dataclass_fields(TargetInput))))


# Metric values ----------------------------------------------------------------------------


class MetricValueSerializer(serializers.ModelSerializer):
    metric = serializers.SlugRelatedField(slug_field="code", read_only=True)
    channel = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = MetricValue
        fields = [
            "id",
            "metric",
            "plan",
            "campaign",
            "channel",
            "date",
            "value",
            "source",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class MetricValueInputSerializer(serializers.Serializer):
    """One value to record. Recording the same metric, campaign (or plan), channel and date
    again updates the value."""

    metric = serializers.SlugField(max_length=50, help_text=_("Metric code, e.g. units_sold."))
    campaign = IdField(required=False, allow_null=True, help_text=_("Campaign id."))
    plan = IdField(
        required=False,
        allow_null=True,
        help_text=_("Plan id, for a value of the plan as a whole; with a campaign it is the campaign's plan."),
    )
    channel = serializers.SlugField(
        max_length=50, required=False, allow_null=True, allow_blank=True, help_text=_("Channel code.")
    )
    date = serializers.DateField(validators=[validate_date_in_window])
    value = serializers.DecimalField(max_digits=18, decimal_places=4)


class MetricValueBulkSerializer(serializers.Serializer):
    values = MetricValueInputSerializer(
        many=True,
        help_text=_("The values, all recorded or none. A bare JSON list of values is accepted too."),
    )


class RecordSummarySerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


def bulk_value_rows(data) -> list:
    """The list of raw rows of a bulk request: a JSON list, or an object with ``values``."""
    rows = data.get("values") if isinstance(data, Mapping) else data
    if not isinstance(rows, list) or not rows:
        raise serializers.ValidationError(
            {"values": [_('Send a non-empty list of values, or an object {"values": [...]}.')]}
        )
    if len(rows) > MAX_BULK_ROWS:
        raise serializers.ValidationError(
            {"values": [_("Send at most %(count)s values at once.") % {"count": MAX_BULK_ROWS}]}
        )
    return rows


def resolve_value_rows(raw_rows: list) -> tuple[list[ValueRow], dict[int, dict]]:
    """Validate rows of values and look up their metrics, channels, campaigns and plans (a
    query each, whatever the number of rows). Returns the rows, and the problems of the bad
    ones by row number (from 1) and field."""
    errors: dict[int, dict] = {}
    parsed = []
    for number, raw in enumerate(raw_rows, start=1):
        row = MetricValueInputSerializer(data=raw)
        if row.is_valid():
            parsed.append((number, row.validated_data))
        else:
            errors[number] = row.errors

    def wanted(name):
        return {data[name] for _number, data in parsed if data.get(name)}

    metrics = Metric.objects.in_bulk(wanted("metric"), field_name="code")
    channels = Channel.objects.in_bulk(wanted("channel"), field_name="code")
    campaigns = Campaign.objects.select_related("plan").in_bulk(wanted("campaign"))
    plans = AnnualPlan.objects.in_bulk(wanted("plan"))

    rows = []
    for number, data in parsed:
        problems = {}
        metric = metrics.get(data["metric"])
        if metric is None:
            problems["metric"] = [_("There is no metric with the code “%(code)s”.") % {"code": data["metric"]}]
        channel = channels.get(data["channel"]) if data.get("channel") else None
        if data.get("channel") and channel is None:
            problems["channel"] = [_("There is no channel with the code “%(code)s”.") % {"code": data["channel"]}]
        campaign = campaigns.get(data["campaign"]) if data.get("campaign") else None
        if data.get("campaign") and campaign is None:
            problems["campaign"] = [_("There is no campaign with the id %(id)s.") % {"id": data["campaign"]}]
        plan = plans.get(data["plan"]) if data.get("plan") else (campaign.plan if campaign else None)
        if data.get("plan") and plan is None:
            problems["plan"] = [_("There is no plan with the id %(id)s.") % {"id": data["plan"]}]
        elif not data.get("plan") and not data.get("campaign"):
            problems["plan"] = [_("Give the campaign, or the plan for a value of the plan as a whole.")]
        if not problems:
            row = ValueRow(
                metric=metric, date=data["date"], value=data["value"], plan=plan, campaign=campaign, channel=channel
            )
            problems = {field: [message] for field, message in metric_value_problems(row).items()}
        if problems:
            errors[number] = problems
        else:
            rows.append(row)
    return rows, errors
