"""The channel-efficiency ranking (渠道效能榜, the annual template's weekly monitoring): each
channel's output, cost, output per unit of cost and conversion in one ISO week, its rank, and
how its rank moved from the week before.

What counts as output and as cost is the plan's choice (AnnualPlan.ranking_output_metric and
ranking_cost_metric), by default the dictionary's: units sold, and every metric marked as
marketing cost. The figures and both weeks' ranks are computed in the database, in two
queries whatever the number of channels and values: one for the metrics, one that groups the
two weeks' values by channel and ranks them with window functions.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Avg, DecimalField, ExpressionWrapper, F, Q, Sum, Value, Window
from django.db.models.functions import NullIf, Rank

from .actuals import cached_plan_figure
from .models import AnnualPlan, Campaign, Channel, Metric, MetricValue, in_reader_language
from .selectors import Fractional
from .weeks import week_end, week_label, week_start

DEFAULT_OUTPUT_METRIC = "units_sold"
CONVERSION_METRIC = "conversion_rate"
# Output is shown per 10,000 of cost (每万元产出): per yuan, a unit count would read 0.06.
COST_UNIT = Decimal(10000)
FIGURE = DecimalField(max_digits=24, decimal_places=6)


@dataclass
class ChannelRank:
    channel_id: int
    code: str
    name_en: str
    name_zh: str
    output: Decimal | None
    cost: Decimal | None
    # output per COST_UNIT of cost; None without a cost
    efficiency: Decimal | None
    conversion: Decimal | None
    rank: int | None
    previous_rank: int | None

    @property
    def name(self) -> str:
        return in_reader_language(self.name_en, self.name_zh)

    @property
    def movement(self) -> int | None:
        """Places gained since last week (negative: lost); None when either week has no rank."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def arrow(self) -> str:
        """up, down, same, or new (ranked this week, not last week); empty when not ranked."""
        if self.rank is None:
            return ""
        if self.previous_rank is None:
            return "new"
        return "up" if self.movement > 0 else "down" if self.movement < 0 else "same"


@dataclass
class Ranking:
    monday: date
    output_metric: Metric | None
    cost_metrics: list[Metric] = field(default_factory=list)
    rows: list[ChannelRank] = field(default_factory=list)

    @property
    def sunday(self) -> date:
        return week_end(self.monday)

    @property
    def week(self) -> str:
        return week_label(self.monday)


def ranking_metrics(plan: AnnualPlan) -> tuple[Metric | None, list[Metric], Metric | None]:
    """The plan's output metric, its cost metrics and the conversion metric, in one query."""
    wanted = Q(code__in=[DEFAULT_OUTPUT_METRIC, CONVERSION_METRIC]) | Q(is_cost=True)
    for pk in (plan.ranking_output_metric_id, plan.ranking_cost_metric_id):
        if pk:
            wanted |= Q(pk=pk)
    metrics = list(Metric.objects.filter(wanted))
    by_pk, by_code = {m.pk: m for m in metrics}, {m.code: m for m in metrics}
    output = by_pk.get(plan.ranking_output_metric_id) or by_code.get(DEFAULT_OUTPUT_METRIC)
    chosen = by_pk.get(plan.ranking_cost_metric_id)
    costs = [chosen] if chosen else [m for m in metrics if m.is_cost]
    return output, costs, by_code.get(CONVERSION_METRIC)


def channel_ranking(*, plan: AnnualPlan, monday: date, campaign: Campaign | None = None) -> Ranking:
    """The ranking of a plan's channels (or one campaign's) in the ISO week starting `monday`,
    best output per cost first; channels with output but no cost come after the ranked ones,
    without a rank."""
    return period_ranking(
        plan=plan, start=monday, end=week_end(monday), previous_start=monday - timedelta(days=7), campaign=campaign
    )


def period_ranking(
    *, plan: AnnualPlan, start: date, end: date, previous_start: date, campaign: Campaign | None = None
) -> Ranking:
    """The same ranking over any period, `start` to `end`, its previous rank from `previous_start`
    to the day before `start`: a week (the weekly ranking) or a month (the monthly review's
    channel lines), so every page that ranks channels ranks them alike. `Ranking.monday` is then
    the period's first day."""
    output, costs, conversion = ranking_metrics(plan)
    ranking = Ranking(monday=start, output_metric=output, cost_metrics=costs)
    if output is None or not costs:
        return ranking
    metric_ids = [output.pk, *(m.pk for m in costs), *_conversion_ids(conversion)]
    values = MetricValue.objects.filter(
        plan_id=plan.pk, channel__isnull=False, metric_id__in=metric_ids, date__range=(previous_start, end)
    )
    if campaign is not None:
        values = values.filter(campaign_id=campaign.pk)
    this_week, last_week = Q(date__gte=start), Q(date__lt=start)
    is_output, is_cost = Q(metric_id=output.pk), Q(metric_id__in=[m.pk for m in costs])
    query = (
        values.order_by()
        .values("channel_id", "channel__code", "channel__name_en", "channel__name_zh")
        .annotate(
            output=Sum("value", filter=this_week & is_output),
            cost=Sum("value", filter=this_week & is_cost),
            previous_output=Sum("value", filter=last_week & is_output),
            previous_cost=Sum("value", filter=last_week & is_cost),
            conversion=_conversion(conversion, this_week),
        )
        .annotate(
            efficiency=_per_cost("output", "cost"),
            previous_efficiency=_per_cost("previous_output", "previous_cost"),
        )
        .annotate(
            rank=Window(Rank(), order_by=F("efficiency").desc(nulls_last=True)),
            previous_rank=Window(Rank(), order_by=F("previous_efficiency").desc(nulls_last=True)),
        )
        .order_by(F("efficiency").desc(nulls_last=True), "channel__code")
    )
    rows = _cached_rows(
        plan,
        query,
        definition=repr(
            (
                start,
                end,
                previous_start,
                campaign.pk if campaign else None,
                output.pk,
                [m.pk for m in costs],
                conversion and (conversion.pk, conversion.numerator_id, conversion.denominator_id, conversion.unit),
                conversion and conversion.aggregation,
            )
        ),
    )
    for row in rows:
        if row["output"] is None and row["cost"] is None:
            continue  # recorded last week only
        efficiency = _decimal(row["efficiency"])
        ranking.rows.append(
            ChannelRank(
                channel_id=row["channel_id"],
                code=row["channel__code"],
                name_en=row["channel__name_en"],
                name_zh=row["channel__name_zh"],
                output=_decimal(row["output"]),
                cost=_decimal(row["cost"]),
                efficiency=efficiency,
                conversion=_decimal(row["conversion"]),
                rank=row["rank"] if efficiency is not None else None,
                previous_rank=row["previous_rank"] if row["previous_efficiency"] is not None else None,
            )
        )
    return ranking


def _cached_rows(plan: AnnualPlan, query, *, definition: str) -> list[dict]:
    """The ranking's rows: from the cache while the plan's values and what the ranking is
    computed from (`definition`) are unchanged (plans.actuals), the channels' codes and names
    read afresh; else from `query`. One query either way."""
    fresh = []

    def compute() -> list[dict]:
        fresh.extend(query)
        return fresh

    rows = cached_plan_figure(plan, kind="ranking", definition=definition, compute=compute)
    if rows is fresh:
        return rows
    # Every channel, not only the rows' (a short table): the same query whatever was ranked.
    channels = Channel.objects.in_bulk()
    return [
        {
            **row,
            "channel__code": channels[row["channel_id"]].code,
            "channel__name_en": channels[row["channel_id"]].name_en,
            "channel__name_zh": channels[row["channel_id"]].name_zh,
        }
        for row in rows
        if row["channel_id"] in channels
    ]


def _conversion_ids(conversion: Metric | None) -> list[int]:
    """The metrics the conversion figure reads: its two components when it is derived."""
    if conversion is None:
        return []
    if conversion.is_derived:
        return [conversion.numerator_id, conversion.denominator_id]
    return [conversion.pk]


def _conversion(conversion: Metric | None, this_week: Q):
    """The week's conversion on a channel: a derived conversion rate (orders / visitors) from
    its components' totals, as everywhere a derived metric is shown; a typed one averaged."""
    if conversion is None:
        return Value(None, output_field=FIGURE)
    if not conversion.is_derived:
        return Avg("value", filter=this_week & Q(metric_id=conversion.pk))
    numerator = Sum("value", filter=this_week & Q(metric_id=conversion.numerator_id))
    denominator = Sum("value", filter=this_week & Q(metric_id=conversion.denominator_id))
    return ExpressionWrapper(
        Fractional(numerator)
        * Value(conversion.ratio_scale, output_field=FIGURE)
        / NullIf(denominator, Value(0, output_field=FIGURE)),
        output_field=FIGURE,
    )


def _per_cost(output: str, cost: str) -> ExpressionWrapper:
    """output × COST_UNIT ÷ cost, NULL when there is no cost (or it is 0)."""
    return ExpressionWrapper(
        F(output) * Value(COST_UNIT, output_field=FIGURE) / NullIf(F(cost), Value(0, output_field=FIGURE)),
        output_field=FIGURE,
    )


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def recent_ranking(*, plan: AnnualPlan, today: date, campaign: Campaign | None = None) -> Ranking:
    """This week's ranking, or last week's while nothing is recorded by channel this week yet
    (on a Monday morning, the week that just ended is the one to read)."""
    monday = week_start(today)
    ranking = channel_ranking(plan=plan, campaign=campaign, monday=monday)
    if not ranking.rows:
        ranking = channel_ranking(plan=plan, campaign=campaign, monday=monday - timedelta(days=7))
    return ranking
