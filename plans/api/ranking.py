"""The channel-efficiency ranking in the API: ``GET /api/v1/channel-ranking/?plan=…`` (or
``?campaign=…``) and ``&week=2026-W24``; a list of channels, best first, computed by
plans.ranking (the same figures as the pages)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from core.api.serializers import IdField

from ..models import AnnualPlan, Campaign
from ..permissions import can_view_plans
from ..ranking import channel_ranking
from ..weeks import parse_week, week_label, week_start


class RankingQuerySerializer(serializers.Serializer):
    plan = IdField(required=False, help_text=_("The plan whose channels are ranked (or give a campaign)."))
    campaign = IdField(required=False, help_text=_("Rank one campaign's channels."))
    week = serializers.CharField(
        required=False, max_length=20, help_text=_("An ISO week (2026-W24) or one of its days; this week by default.")
    )

    def validate_week(self, value):
        monday = parse_week(value)
        if monday is None:
            raise serializers.ValidationError(_("Give a week as 2026-W24, or one of its days as 2026-06-10."))
        return monday

    def validate(self, attrs):
        campaign_id, plan_id = attrs.get("campaign"), attrs.get("plan")
        if campaign_id is None and plan_id is None:
            raise serializers.ValidationError({"plan": _("Give a plan or a campaign.")})
        if campaign_id is not None:
            campaign = Campaign.objects.select_related("plan").filter(pk=campaign_id).first()
            if campaign is None:
                raise serializers.ValidationError({"campaign": _("No such campaign.")})
            if plan_id is not None and plan_id != campaign.plan_id:
                raise serializers.ValidationError({"campaign": _("The campaign belongs to another plan.")})
            attrs["campaign"], attrs["plan"] = campaign, campaign.plan
        else:
            plan = AnnualPlan.objects.filter(pk=plan_id).first()
            if plan is None:
                raise serializers.ValidationError({"plan": _("No such plan.")})
            attrs["plan"] = plan
        return attrs


class ChannelRankSerializer(serializers.Serializer):
    week = serializers.CharField(help_text=_("The ISO week, 2026-W24."))
    plan = serializers.IntegerField()
    campaign = serializers.IntegerField(allow_null=True)
    channel = serializers.CharField(source="code", help_text=_("Channel code."))
    channel_name = serializers.CharField(source="name")
    output_metric = serializers.CharField(help_text=_("Metric code of the output."))
    output = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    cost = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    output_per_10000_cost = serializers.DecimalField(
        source="efficiency",
        max_digits=24,
        decimal_places=4,
        allow_null=True,
        help_text=_("Output per ¥10,000 of cost; null without a cost."),
    )
    conversion = serializers.DecimalField(
        max_digits=24, decimal_places=4, allow_null=True, help_text=_("Average conversion rate (%), where recorded.")
    )
    rank = serializers.IntegerField(allow_null=True, help_text=_("1 is the best; null without a cost."))
    previous_rank = serializers.IntegerField(allow_null=True, help_text=_("Last week's rank."))
    movement = serializers.IntegerField(allow_null=True, help_text=_("Places gained since last week (negative: lost)."))
    arrow = serializers.ChoiceField(choices=["up", "down", "same", "new", ""])


class ChannelRankingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The channel-efficiency ranking (渠道效能榜) of a plan or a campaign in an ISO week: each
    channel's output, cost, output per ¥10,000 of cost, conversion, rank, and its change
    since the week before. What counts as output and cost is the plan's setting."""

    serializer_class = ChannelRankSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):  # the rows are computed, not a queryset
        return AnnualPlan.objects.none()

    def check_permissions(self, request):
        super().check_permissions(request)
        if not can_view_plans(request.user):
            self.permission_denied(request)

    @extend_schema(
        parameters=[
            OpenApiParameter("plan", int, description="The plan whose channels are ranked (or give a campaign)."),
            OpenApiParameter("campaign", int, description="Rank one campaign's channels."),
            OpenApiParameter("week", str, description="An ISO week (2026-W24) or one of its days; this week."),
        ]
    )
    def list(self, request, *args, **kwargs):
        query = RankingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        monday = query.validated_data.get("week") or week_start(timezone.localdate())
        plan, campaign = query.validated_data["plan"], query.validated_data.get("campaign")
        ranking = channel_ranking(plan=plan, campaign=campaign, monday=monday)
        for row in ranking.rows:
            row.week, row.plan, row.campaign = week_label(monday), plan.pk, campaign.pk if campaign else None
            row.output_metric = ranking.output_metric.code if ranking.output_metric else ""
        return Response(self.get_serializer(ranking.rows, many=True).data)
