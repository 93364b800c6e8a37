"""The check stops when its job's soft time limit strikes: the limit is not reported against
one threshold and carried past, as a threshold's own error is."""

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from tests.factories import ThresholdFactory
from tracking import evaluation
from tracking.evaluation import evaluate_all

pytestmark = pytest.mark.django_db


def test_the_soft_time_limit_stops_the_check_instead_of_being_logged_and_carried_past(monkeypatch):
    thresholds = ThresholdFactory.create_batch(3)
    judged = []

    def judge(threshold, **kwargs):
        judged.append(threshold.pk)
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(evaluation, "_judge", judge)

    with pytest.raises(SoftTimeLimitExceeded):
        evaluate_all()

    assert judged == [thresholds[0].pk]


def test_a_thresholds_own_error_is_still_reported_and_the_check_goes_on(monkeypatch):
    ThresholdFactory.create_batch(3)

    def judge(threshold, **kwargs):
        raise ValueError("bad figures")

    monkeypatch.setattr(evaluation, "_judge", judge)

    report = evaluate_all()

    assert len(report.errors) == 3
