"""Two drafts of the same week at once (the Friday job and a manager) make one log: the
constraint decides, on PostgreSQL, where the two really run at the same time."""

import threading

import pytest
from django.db import connection, connections

from tests.factories.weekly import WEEK, week_campaign
from tracking.models import WeeklyLog, WeeklyLogRow
from tracking.services.weekly_logs import weekly_log_draft

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL), as .ci/run sets")
def test_two_drafts_at_once_make_one_log():
    campaign = week_campaign()
    start = threading.Barrier(2)
    results, errors = [], []

    def draft():
        try:
            start.wait(timeout=10)
            results.append(weekly_log_draft(campaign=campaign, monday=WEEK))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=draft) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(created for _log, created in results) == [False, True]
    assert len({log.pk for log, _created in results}) == 1
    assert WeeklyLog.objects.count() == 1
    assert WeeklyLogRow.objects.count() == 2
