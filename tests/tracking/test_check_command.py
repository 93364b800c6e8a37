"""The check_thresholds command: a line for each alert it opened, kept or resolved and each
threshold it could not evaluate, then a summary."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import StageFactory, TaskFactory, metric, record, set_value
from tracking.evaluation import evaluate_all
from tracking.models import ThresholdKind
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db


def test_the_command_prints_each_alert_it_opened_kept_or_resolved_and_a_summary(breaching, campaign, now, frozen):
    stale = threshold_create(kind=ThresholdKind.COST_ABOVE_BUDGET, campaign=campaign, percent=Decimal(10))
    record(campaign, "marketing_cost", {2: 400000})
    evaluate_all(now=now)
    set_value(campaign, "marketing_cost", 2, 1000)
    idle = threshold_create(
        kind=ThresholdKind.VALUE_BELOW, campaign=campaign, metric=metric("ctr"), bound=1, window_days=7
    )
    stage = StageFactory(campaign=campaign)
    TaskFactory(stage=stage, due_date=date(2026, 6, 1))
    fresh = threshold_create(kind=ThresholdKind.TASKS_OVERDUE, campaign=campaign)
    out, err = StringIO(), StringIO()

    call_command("check_thresholds", stdout=out, stderr=err)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"opened        #{fresh.pk} [{campaign.name}] Alert when any task is overdue")
    assert lines[0].endswith("observed 1, expected 0")
    assert lines[1].startswith(f"kept          #{breaching.pk} ")
    assert "Alert when Units sold is below 80% of the target" in lines[1]
    assert lines[2].startswith(f"resolved      #{stale.pk} ")
    assert lines[2].endswith("observed 1,000, expected 300,000")
    assert lines[3].startswith(f"not evaluable #{idle.pk} ")
    assert lines[3].endswith("No values of Click-through rate in the window (last 7 days).")
    assert lines[4] == (
        "Checked 4 thresholds: 1 opened, 1 kept, 1 resolved, 0 within bounds, 1 not evaluable, 0 errors."
    )
    assert err.getvalue() == ""
