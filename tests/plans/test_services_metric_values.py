"""metric_values_record: a batch of values is recorded all or nothing, each problem named by its
row; a value recorded again is updated, never duplicated; values feed the targets' actuals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role
from plans.models import MetricValue, ValueSource
from plans.services import ValueRow, metric_values_record
from tests.factories import AnnualPlanFactory, CampaignFactory, TargetFactory, channel, metric

pytestmark = pytest.mark.django_db


@pytest.fixture
def yesterday():
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def live_campaign(yesterday):
    return CampaignFactory(start_date=yesterday - timedelta(days=30), end_date=yesterday + timedelta(days=30))


def row(campaign, *, on, value="100", code="units_sold", via=None, plan=None) -> ValueRow:
    return ValueRow(
        metric=metric(code),
        date=on,
        value=Decimal(value),
        plan=plan or campaign.plan,
        campaign=campaign,
        channel=channel(via) if via else None,
    )


def test_recording_values_creates_them(live_campaign, yesterday, manager):
    summary = metric_values_record(
        rows=[
            row(live_campaign, on=yesterday, via="online", value="300"),
            row(live_campaign, on=yesterday, via="offline", value="200"),
        ],
        source=ValueSource.IMPORT,
        recorded_by=manager,
    )

    assert (summary.created, summary.updated) == (2, 0)
    stored = MetricValue.objects.get(channel=channel("online"))
    assert (stored.value, stored.source, stored.recorded_by) == (Decimal("300"), ValueSource.IMPORT, manager)


def test_recording_a_value_again_updates_it_and_never_duplicates(live_campaign, yesterday):
    metric_values_record(rows=[row(live_campaign, on=yesterday, value="100")])

    summary = metric_values_record(rows=[row(live_campaign, on=yesterday, value="180")])

    assert (summary.created, summary.updated) == (0, 1)
    assert MetricValue.objects.count() == 1
    assert MetricValue.objects.get().value == Decimal("180")


def test_recording_a_plan_level_value_again_updates_it(live_campaign, yesterday):
    plan = live_campaign.plan
    plan_row = ValueRow(metric=metric("market_share"), date=yesterday, value=Decimal("12"), plan=plan)
    metric_values_record(rows=[plan_row])

    plan_row.value = Decimal("13")
    summary = metric_values_record(rows=[plan_row])

    assert (summary.created, summary.updated) == (0, 1)
    assert MetricValue.objects.get().value == Decimal("13")


def test_a_batch_with_a_bad_row_saves_nothing_and_names_the_row(live_campaign, yesterday):
    with pytest.raises(ValidationError) as error:
        metric_values_record(
            rows=[
                row(live_campaign, on=yesterday, value="100"),
                row(live_campaign, on=yesterday - timedelta(days=1), value="-5"),
                row(live_campaign, on=yesterday - timedelta(days=2), value="100"),
            ]
        )

    assert error.value.messages == ["Row 2, value: Units sold cannot be negative."]
    assert not MetricValue.objects.exists()


def test_a_batch_lists_the_problems_of_every_bad_row(live_campaign, yesterday):
    with pytest.raises(ValidationError) as error:
        metric_values_record(
            rows=[
                row(live_campaign, on=yesterday, code="market_share", value="101"),
                row(live_campaign, on=yesterday),
                row(live_campaign, on=yesterday, value="1.5"),
            ]
        )

    assert [message.split(":")[0] for message in error.value.messages] == ["Row 1, value", "Row 3, value"]


def test_a_key_given_twice_in_one_batch_keeps_the_last_value(live_campaign, yesterday):
    summary = metric_values_record(
        rows=[row(live_campaign, on=yesterday, value="100"), row(live_campaign, on=yesterday, value="120")]
    )

    assert (summary.created, summary.updated) == (1, 0)
    assert MetricValue.objects.get().value == Decimal("120")


def test_a_campaign_of_another_plan_is_refused(live_campaign, yesterday):
    other_plan = AnnualPlanFactory()

    with pytest.raises(ValidationError) as error:
        metric_values_record(rows=[row(live_campaign, on=yesterday, plan=other_plan)])

    assert error.value.messages == ["Row 1, campaign: The campaign belongs to another plan."]
    assert not MetricValue.objects.exists()


def test_a_value_dated_in_the_future_is_refused(live_campaign):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        metric_values_record(rows=[row(live_campaign, on=tomorrow)])

    assert f"Row 1, date: {tomorrow.isoformat()} is in the future" in error.value.messages[0]
    assert not MetricValue.objects.exists()


def test_a_value_dated_today_is_accepted(live_campaign):
    summary = metric_values_record(rows=[row(live_campaign, on=timezone.localdate())])

    assert summary.created == 1


def test_a_value_recorded_again_keeps_its_row_but_takes_the_new_recorder(live_campaign, yesterday, make_user):
    first, second = make_user(Role.STAFF), make_user(Role.MARKETING_MANAGER)
    metric_values_record(rows=[row(live_campaign, on=yesterday)], recorded_by=first)
    original = MetricValue.objects.get()

    metric_values_record(rows=[row(live_campaign, on=yesterday)], source=ValueSource.API, recorded_by=second)

    updated = MetricValue.objects.get()
    assert updated.pk == original.pk
    assert (updated.recorded_by, updated.source) == (second, ValueSource.API)


def test_recorded_values_feed_the_target_actual(live_campaign, yesterday):
    from plans.selectors import target_list

    target = TargetFactory(
        campaign=live_campaign, period_start=live_campaign.start_date, period_end=live_campaign.end_date
    )
    metric_values_record(
        rows=[row(live_campaign, on=yesterday, value="70"), row(live_campaign, on=yesterday, via="online", value="30")]
    )

    assert target_list().get(pk=target.pk).actual == Decimal("100")
