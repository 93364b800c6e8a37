"""``/api/v1/facts/targets/``: target against actual per day or ISO week (plans.facts), with the
targets list's filters, in cursor pages of a fixed number of queries."""

import base64
import binascii
from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from accounts.api.scope import TokenScopeFilter
from core.api.export import ListFiltersSchema
from core.dates import validate_date_in_window

from .. import facts, selectors
from ..attainment import Status
from .filters import TargetFilter
from .permissions import TargetPermission

MAX_TARGETS_PER_PAGE = 100


class AsciiIntegerField(serializers.IntegerField):
    """A whole number in the digits 0–9: Python's int() would read "١٠" as 10."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not (data.isascii() and data.strip().isdigit()):
            self.fail("invalid")
        return super().to_internal_value(data)


class FactQuerySerializer(serializers.Serializer):
    grain = serializers.ChoiceField(choices=facts.GRAINS, default=facts.DAY, help_text=_("day or week (ISO weeks)."))
    date_from = serializers.DateField(
        required=False,
        validators=[validate_date_in_window],
        help_text=_("First day (inclusive); by default the first day of the targets' own periods."),
    )
    date_to = serializers.DateField(
        required=False,
        validators=[validate_date_in_window],
        help_text=_("Last day (inclusive); by default the last day of the targets' own periods."),
    )
    page_size = AsciiIntegerField(
        required=False,
        min_value=1,
        max_value=MAX_TARGETS_PER_PAGE,
        default=50,
        help_text=_("Targets per page (each with up to seven periods), at most 100."),
    )
    cursor = serializers.CharField(required=False, max_length=100, help_text=_("The next page, from `next`."))

    def validate_cursor(self, value):
        try:
            day, _sep, target = base64.urlsafe_b64decode(value.encode("ascii")).decode("ascii").partition(":")
            cursor = facts.Cursor(date.fromisoformat(day), int(target))
            validate_date_in_window(cursor.block_start)
        except (ValueError, UnicodeError, binascii.Error, DjangoValidationError) as exc:
            raise serializers.ValidationError(_("This cursor is not one this endpoint gave: start again.")) from exc
        return cursor

    def validate(self, attrs):
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError({"date_to": [_("The last day comes before the first.")]})
        return attrs


class FactSerializer(serializers.Serializer):
    target = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["plan_target", "campaign_goal", "sub_goal"])
    plan = serializers.IntegerField(allow_null=True)
    campaign = serializers.IntegerField(allow_null=True)
    parent = serializers.IntegerField(allow_null=True)
    metric = serializers.CharField()
    channel = serializers.CharField(allow_null=True)
    grain = serializers.ChoiceField(choices=facts.GRAINS)
    period = serializers.CharField(help_text=_("The day (2026-06-08) or the ISO week (2026-W24)."))
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    target_value = serializers.DecimalField(max_digits=22, decimal_places=4, help_text=_("The whole target."))
    period_target = serializers.DecimalField(
        max_digits=22,
        decimal_places=4,
        allow_null=True,
        help_text=_("What the pace makes due within this period (summed metrics); else the target itself."),
    )
    expected = serializers.DecimalField(
        max_digits=22,
        decimal_places=4,
        allow_null=True,
        help_text=_("What should have been reached by the period's last day, by pace (or quarterly split)."),
    )
    actual = serializers.DecimalField(max_digits=22, decimal_places=4, allow_null=True)
    cumulative_actual = serializers.DecimalField(
        max_digits=22, decimal_places=4, allow_null=True, help_text=_("The actual as it stood at the period's end.")
    )
    attainment_percent = serializers.DecimalField(max_digits=22, decimal_places=1, allow_null=True)
    pace = serializers.DecimalField(max_digits=22, decimal_places=4, allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)


class FactPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    results = FactSerializer(many=True)


class TargetFactsView(generics.GenericAPIView):
    """Target against actual per day or ISO week, for every target the reader may list (plan
    targets, campaign goals, sub-goals; the targets list's filters): the period's target by
    pace, expected to date, actual, cumulative actual, attainment and status, judged by the
    computation the plan and campaign pages use. Cursor pages: follow `next`."""

    permission_classes = [*generics.GenericAPIView.permission_classes, TargetPermission]
    filterset_class = TargetFilter
    filter_backends = [TokenScopeFilter, DjangoFilterBackend]
    token_scope = ("plan", "campaign__plan")  # accounts.api.scope, as the targets list
    pagination_class = None
    serializer_class = FactPageSerializer
    schema = ListFiltersSchema()

    def get_queryset(self):
        return selectors.target_list()

    @extend_schema(parameters=[FactQuerySerializer], responses=FactPageSerializer)
    def get(self, request):
        query = FactQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        options = query.validated_data
        targets = self.filter_queryset(self.get_queryset())
        start, end = options.get("date_from"), options.get("date_to")
        if start is None or end is None:
            own_start, own_end = facts.default_range(targets)
            start, end = start or own_start, end or own_end
        if start is None or end is None or start > end:
            page = facts.FactPage([], None, start, end)
        else:
            page = facts.target_facts(
                targets=targets,
                grain=options["grain"],
                start=start,
                end=end,
                cursor=options.get("cursor"),
                limit=options["page_size"],
            )
        next_url = None
        if page.next is not None:
            token = base64.urlsafe_b64encode(f"{page.next.block_start}:{page.next.after_target}".encode()).decode()
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", token)
        data = {"next": next_url, "date_from": start, "date_to": end, "results": page.rows}
        return Response(FactPageSerializer(data).data)
