"""Thresholds the check cannot evaluate: refused when written through the service, reported
(not evaluable, or an error) when found in the database, while the others are still checked."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import MilestoneFactory, StageFactory, TargetFactory, TaskFactory, metric, record
from tracking import evaluation
from tracking.evaluation import evaluate_all
from tracking.models import Threshold, ThresholdKind
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db


def test_a_negative_percentage_is_refused_with_a_clear_message(campaign):
    target = TargetFactory(campaign=campaign)

    with pytest.raises(ValidationError) as error:
        threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(-5))

    assert error.value.message_dict["percent"] == ["The percentage cannot be negative."]


def test_malformed_thresholds_are_reported_not_evaluable_and_the_others_are_still_checked(campaign, now):
    record(campaign, "units_sold", {1: 100})
    zero = TargetFactory(campaign=campaign, target_value=Decimal(0))
    no_values = TargetFactory(campaign=campaign, metric=metric("new_members"))
    # Written around the service, as an import or an old row might be.
    malformed = [
        Threshold.objects.create(kind=ThresholdKind.ATTAINMENT_BELOW, campaign=campaign, percent=80),
        Threshold.objects.create(kind=ThresholdKind.ATTAINMENT_BELOW, target=zero, campaign=campaign, percent=80),
        Threshold.objects.create(kind=ThresholdKind.ATTAINMENT_BELOW, target=no_values, campaign=campaign, percent=80),
        Threshold.objects.create(
            kind=ThresholdKind.VALUE_BELOW, campaign=campaign, metric=metric("ctr"), bound=1, window_days=7
        ),
        Threshold.objects.create(kind=ThresholdKind.BENCHMARK_BELOW, campaign=campaign, metric=metric("ctr")),
        Threshold.objects.create(kind=ThresholdKind.TASKS_OVERDUE, plan=campaign.plan),
        Threshold.objects.create(kind="retired_kind", campaign=campaign),
    ]
    good = threshold_create(
        kind=ThresholdKind.VALUE_BELOW, campaign=campaign, metric=metric("units_sold"), bound=1000, window_days=30
    )

    report = evaluate_all(now=now)

    reasons = {outcome.threshold_id: outcome.message for outcome in report.not_evaluable}
    assert set(reasons) == {threshold.pk for threshold in malformed}
    assert reasons[malformed[0].pk] == "Choose the target whose attainment is watched."
    assert reasons[malformed[1].pk] == "The target is zero: there is no attainment to compare."
    assert reasons[malformed[2].pk] == "No values of New members recorded for this target yet."
    assert reasons[malformed[3].pk] == "No values of Click-through rate in the window (last 7 days)."
    assert "Give the percentage." in reasons[malformed[4].pk]
    assert "Give the benchmark value" in reasons[malformed[4].pk]
    assert reasons[malformed[5].pk] == "Choose the campaign."
    assert "Unknown kind" in reasons[malformed[6].pk]
    assert [o.threshold_id for o in report.opened] == [good.pk]
    assert not report.errors


def test_an_unexpected_error_on_one_threshold_is_reported_and_the_batch_goes_on(campaign, now, monkeypatch, caplog):
    stage = StageFactory(campaign=campaign)
    TaskFactory(stage=stage, due_date=date(2026, 6, 1))
    MilestoneFactory(stage=stage, due_date=date(2026, 6, 1))
    broken = threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)
    fine = threshold_create(kind=ThresholdKind.MILESTONE_MISSED, campaign=campaign)

    def explode(threshold, **kwargs):
        raise ZeroDivisionError("somebody divided by zero")

    monkeypatch.setitem(evaluation.JUDGES, ThresholdKind.TASKS_OVERDUE, explode)

    report = evaluate_all(now=now)

    assert [(o.threshold_id, o.message) for o in report.errors] == [
        (broken.pk, "ZeroDivisionError: somebody divided by zero")
    ]
    assert [o.threshold_id for o in report.opened] == [fine.pk]
    assert f"Threshold {broken.pk} could not be checked" in caplog.text
