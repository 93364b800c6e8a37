"""updated_at (a metric value's recorded_at) moves on every write a BI sync must see: the
database default on inserts that bypass the model, and every bulk path (QuerySet.update,
bulk_update, the COPY import) in services, jobs and the threshold check."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from plans import services as plan_services
from plans.models import MetricValue
from plans.services import ValueRow, metric_values_record
from reviews.models import ReviewLine
from reviews.services.reviews import review_finalise
from tasks.models import Task
from tasks.services import task_set_status
from tests.factories import TargetFactory, UserFactory, record
from tests.factories.issues import IssueFactory
from tests.factories.plans import CampaignFactory, metric
from tests.factories.reviews import form4_review
from tests.factories.tasks import TaskFactory
from tests.factories.tracking import breach, set_value
from tracking.evaluation import evaluate_all
from tracking.models import Alert, Issue, ThresholdKind
from tracking.services.alerts import alert_escalate, alert_open_or_keep, alert_recover
from tracking.services.issues import issue_notify_overdue
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=30)
JUNE_14 = timezone.make_aware(timezone.datetime(2026, 6, 14, 12))


def set_back(model, *objs, field="updated_at"):
    model.objects.filter(pk__in=[obj.pk for obj in objs]).update(**{field: LONG_AGO})


def moved(obj, field="updated_at") -> bool:
    obj.refresh_from_db()
    return getattr(obj, field) > LONG_AGO + timedelta(days=1)


@pytest.fixture
def units_alert():
    """An open alert: units sold at 5,000 against a 50,000 goal's pace."""
    campaign = CampaignFactory()
    target = TargetFactory(campaign=campaign, target_value=Decimal("50000"))
    record(campaign, "units_sold", {1: 5000})
    threshold = threshold_create(kind=ThresholdKind.ATTAINMENT_BELOW, target=target, percent=Decimal(80), paced=True)
    evaluate_all(now=JUNE_14)
    return threshold.alerts.get()


def test_the_database_default_fills_updated_at_when_an_insert_leaves_it_out():
    task = TaskFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tasks_assignment (task_id, role, user_id) VALUES (%s, 'I', %s)", [task.pk, task.responsible_id]
        )
    assert task.assignments.get().updated_at is not None


def test_a_check_that_keeps_an_alert_moves_its_updated_at_with_or_without_new_figures(units_alert):
    set_back(Alert, units_alert)
    evaluate_all(now=JUNE_14)  # the same figures: only the check time is written
    assert moved(units_alert)

    set_back(Alert, units_alert)
    set_value(units_alert.campaign, "units_sold", 1, 6000)
    evaluate_all(now=JUNE_14)  # new figures: bulk_update
    assert moved(units_alert)
    assert units_alert.observed == Decimal("6000")


def test_keeping_recovering_and_escalating_an_alert_move_its_updated_at(units_alert):
    set_back(Alert, units_alert)
    alert_open_or_keep(threshold=units_alert.threshold, breach=breach(), now=JUNE_14)
    assert moved(units_alert)

    set_back(Alert, units_alert)
    assert alert_escalate(alert_id=units_alert.pk, now=JUNE_14 + timedelta(days=3))
    assert moved(units_alert)

    set_back(Alert, units_alert)
    assert alert_recover(alert=units_alert, observed=Decimal("50000"), now=JUNE_14)
    assert moved(units_alert)


def test_telling_an_overdue_issue_moves_its_updated_at():
    issue = IssueFactory(deadline=date(2026, 6, 10), owner=UserFactory())
    set_back(Issue, issue)
    assert issue_notify_overdue(issue_id=issue.pk, today=date(2026, 6, 20))
    assert moved(issue)


def test_a_status_update_moves_the_tasks_updated_at():
    task = TaskFactory()
    set_back(Task, task)
    task_set_status(task=task, status="in_progress", by=task.responsible)
    assert moved(task)


def test_finalising_a_review_moves_its_lines_updated_at():
    review = form4_review()
    lines = list(review.lines.all())
    set_back(ReviewLine, *lines)
    review_finalise(review=review, by=UserFactory(), today=date(2026, 7, 10))
    assert all(moved(line) for line in lines)


@pytest.mark.parametrize("path", ["copy", "portable"])
def test_recording_a_value_again_moves_its_recorded_at_on_both_import_paths(path, monkeypatch):
    if path == "copy" and connection.vendor != "postgresql":
        pytest.skip("The COPY path runs on PostgreSQL (DATABASE_URL=postgres://…).")
    monkeypatch.setattr(plan_services, "_use_copy", lambda: path == "copy")
    campaign = CampaignFactory()
    row = ValueRow(
        metric=metric("units_sold"), date=date(2026, 6, 2), value=Decimal(5), plan=campaign.plan, campaign=campaign
    )
    metric_values_record(rows=[row])
    value = MetricValue.objects.get()
    set_back(MetricValue, value, field="recorded_at")

    metric_values_record(rows=[row])

    assert moved(value, field="recorded_at")
