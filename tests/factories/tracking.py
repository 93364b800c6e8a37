from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from plans.models import Campaign, MetricValue
from tracking.models import Alert, Threshold, ThresholdKind
from tracking.services.alerts import Breach, alert_open_or_keep
from tracking.services.thresholds import threshold_create

from .plans import MetricValueFactory, TargetFactory, channel, metric


class ThresholdFactory(factory.django.DjangoModelFactory):
    """Alert when a campaign goal's attainment is below 80% (paced), written straight to the
    database as an import or an old row might be; use attainment_threshold() or
    tracking.services.thresholds.threshold_create to go through the validation."""

    class Meta:
        model = Threshold
        skip_postgeneration_save = True

    kind = ThresholdKind.ATTAINMENT_BELOW
    target = factory.SubFactory(TargetFactory)
    campaign = factory.LazyAttribute(lambda threshold: threshold.target.campaign if threshold.target else None)
    percent = Decimal("80")

    @factory.post_generation
    def recipients(self, create, extracted, **kwargs):
        if create and extracted:
            self.recipients.set(extracted)


def attainment_threshold(target, **fields) -> Threshold:
    """Alert when the target's attainment is below 80% of its pace, through the service."""
    return threshold_create(
        **{"kind": ThresholdKind.ATTAINMENT_BELOW, "target": target, "percent": Decimal("80"), "paced": True, **fields}
    )


def breach(
    summary: str = "Units sold at 62% of target",
    *,
    observed: Decimal = Decimal("31000"),
    expected: Decimal = Decimal("40000"),
) -> Breach:
    """What a check finds when sales trail their pace."""
    return Breach(observed=observed, expected=expected, summary=summary)


def open_alert(threshold: Threshold, *, hours_ago: float = 0, summary: str = "Units sold at 62% of target") -> Alert:
    """Open an alert on the threshold (hours_ago, if given, back in time), telling its people."""
    alert, opened = alert_open_or_keep(
        threshold=threshold, breach=breach(summary), now=timezone.now() - timedelta(hours=hours_ago)
    )
    assert opened
    return alert


def record(campaign: Campaign, code: str, values: dict[int, object], channel_code: str | None = None) -> None:
    """Values of a metric in a campaign, by day of June 2026 (when the factories' campaigns run)."""
    for day, value in values.items():
        MetricValueFactory(
            campaign=campaign,
            metric=metric(code),
            channel=channel(channel_code) if channel_code else None,
            date=date(2026, 6, day),
            value=Decimal(str(value)),
        )


def set_value(campaign: Campaign, code: str, day: int, value) -> None:
    """Change the value record() wrote for that day of June."""
    MetricValue.objects.filter(campaign=campaign, metric__code=code, date=date(2026, 6, day)).update(
        value=Decimal(str(value))
    )
