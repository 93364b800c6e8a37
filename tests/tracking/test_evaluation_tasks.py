"""The check of task and milestone thresholds (tracking.evaluation): overdue tasks and missed
milestones."""

from datetime import date
from decimal import Decimal

import pytest

from tasks.models import TaskStatus
from tests.factories import MilestoneFactory, StageFactory, TaskFactory
from tracking.evaluation import evaluate_all
from tracking.models import AlertState, Severity, ThresholdKind
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db

# Campaigns of the factories run through June 2026; the 14th is day 14 of 30.
TODAY = date(2026, 6, 14)


def test_tasks_overdue_breaches_on_any_overdue_task_and_recovers_when_done(campaign, now):
    stage = StageFactory(campaign=campaign)
    late = TaskFactory(stage=stage, due_date=date(2026, 6, 10))
    TaskFactory(stage=stage, due_date=date(2026, 6, 10), status=TaskStatus.DONE)
    TaskFactory(stage=stage, due_date=TODAY)
    threshold = threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)

    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()
    assert (alert.observed, alert.expected) == (Decimal(1), Decimal(0))

    late.status = TaskStatus.DONE
    late.save()
    evaluate_all(now=now)
    alert.refresh_from_db()
    assert alert.state == AlertState.AUTO_RESOLVED


def test_tasks_overdue_with_a_count_breaches_only_above_it(campaign, now):
    stage = StageFactory(campaign=campaign)
    for _ in range(2):
        TaskFactory(stage=stage, due_date=date(2026, 6, 1))
    threshold = threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign, min_count=2)

    evaluate_all(now=now)
    assert not threshold.alerts.unresolved().exists()

    TaskFactory(stage=stage, due_date=date(2026, 6, 1))
    evaluate_all(now=now)
    assert threshold.alerts.unresolved().get().observed == Decimal(3)


def test_a_missed_milestone_opens_an_alert_naming_it_and_reaching_it_resolves_it(campaign, now):
    stage = StageFactory(campaign=campaign)
    missed = MilestoneFactory(stage=stage, name="KOL videos live", due_date=date(2026, 6, 9))
    MilestoneFactory(stage=stage, due_date=date(2026, 6, 8), reached_on=date(2026, 6, 8))
    MilestoneFactory(stage=stage, due_date=date(2026, 6, 20))
    threshold = threshold_create(kind=ThresholdKind.MILESTONE_MISSED, campaign=campaign, severity=Severity.CRITICAL)

    evaluate_all(now=now)
    alert = threshold.alerts.unresolved().get()
    assert "KOL videos live (due 2026-06-09)" in alert.summary
    assert alert.severity == Severity.CRITICAL

    missed.reached_on = date(2026, 6, 14)
    missed.save()
    evaluate_all(now=now)
    alert.refresh_from_db()
    assert alert.state == AlertState.AUTO_RESOLVED
