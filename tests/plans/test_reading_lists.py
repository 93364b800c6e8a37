"""The selectors behind the dashboard's plan lists and the metric dictionary of the API."""

import pytest

from plans import selectors
from plans.models import Metric, PlanStatus
from tests.factories import AnnualPlanFactory, metric

pytestmark = pytest.mark.django_db


def test_active_plans_are_only_the_plans_in_force():
    active = AnnualPlanFactory(status=PlanStatus.ACTIVE, year=2026)
    AnnualPlanFactory(status=PlanStatus.DRAFT, year=2027)
    AnnualPlanFactory(status=PlanStatus.CLOSED, year=2025)

    assert list(selectors.active_plans()) == [active]


def test_plans_to_approve_are_the_drafts():
    draft = AnnualPlanFactory(status=PlanStatus.DRAFT, year=2027)
    AnnualPlanFactory(status=PlanStatus.APPROVED, year=2027)

    assert list(selectors.plans_to_approve()) == [draft]


def test_the_metric_list_leaves_out_inactive_metrics_unless_asked():
    Metric.objects.filter(pk=metric("units_sold").pk).update(is_active=False)

    assert metric("units_sold") not in selectors.metric_list()
    assert metric("units_sold") in selectors.metric_list(include_inactive=True)
