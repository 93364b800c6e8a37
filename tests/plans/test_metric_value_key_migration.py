"""plans 0012 replaces the metric values' natural_key and its four partial unique constraints
with one unique constraint over the key (NULLs not distinct): every row is kept, and the
rule holds on the migrated table for each combination of a NULL campaign and channel."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0011_conversion_rate_derived")]
AFTER = [("plans", "0012_metric_value_one_unique_key_lean_indexes")]
DAY = date(2026, 6, 1)

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def migrated():
    try:
        apps = migrate(BEFORE)
        User = apps.get_model("accounts", "User")
        AnnualPlan = apps.get_model("plans", "AnnualPlan")
        Campaign = apps.get_model("plans", "Campaign")
        Metric = apps.get_model("plans", "Metric")
        Channel = apps.get_model("plans", "Channel")
        MetricValue = apps.get_model("plans", "MetricValue")
        owner = User.objects.create(username="migrated-owner")
        plan = AnnualPlan.objects.create(year=2026, title="Plan", owner=owner)
        campaign = Campaign.objects.create(
            plan=plan, name="618", type="promotion", owner=owner, start_date=DAY, end_date=date(2026, 6, 30)
        )
        units = Metric.objects.get(code="units_sold")
        online = Channel.objects.get(code="online")
        rows = []
        for scope in (campaign, None):
            for via in (online, None):
                # The old model's save() wrote natural_key; the historical model has no save().
                key = f"{units.pk}:{plan.pk}:{scope.pk if scope else '-'}:{via.pk if via else '-'}:{DAY}"
                rows.append(
                    MetricValue.objects.create(
                        metric=units,
                        plan=plan,
                        campaign=scope,
                        channel=via,
                        date=DAY,
                        value=Decimal(len(rows) + 1),
                        recorded_by=owner,
                        natural_key=key,
                    ).pk
                )
        yield rows, migrate(AFTER)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_every_value_is_kept_and_a_second_one_per_key_is_refused(migrated):
    ids, apps = migrated
    MetricValue = apps.get_model("plans", "MetricValue")

    kept = list(MetricValue.objects.order_by("pk").values_list("pk", "campaign_id", "channel_id", "value"))
    assert [row[0] for row in kept] == ids
    assert [row[3] for row in kept] == [Decimal(1), Decimal(2), Decimal(3), Decimal(4)]
    assert {(row[1] is None, row[2] is None) for row in kept} == {(a, b) for a in (True, False) for b in (True, False)}

    for value in MetricValue.objects.all():
        value.pk = None
        with transaction.atomic(), pytest.raises(IntegrityError):
            MetricValue.objects.bulk_create([value])
    assert MetricValue.objects.count() == 4
