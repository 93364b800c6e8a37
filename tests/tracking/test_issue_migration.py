"""Issues recorded with a day (occurred_on) keep it as the start of that day in the site's time
zone when the register records a time (occurred_at), and the way back gives the same day."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("tracking", "0006_merge_attainment_and_date_window")]
AFTER = [("tracking", "0007_issue_register_columns")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_an_issue_keeps_its_day_across_the_migration_and_back():
    apps = migrate(BEFORE)
    User = apps.get_model("accounts", "User")
    AnnualPlan = apps.get_model("plans", "AnnualPlan")
    Campaign = apps.get_model("plans", "Campaign")
    Issue = apps.get_model("tracking", "Issue")
    owner = User.objects.create(username="issue-migration-owner")
    plan = AnnualPlan.objects.create(year=2026, title="Plan", owner=owner)
    campaign = Campaign.objects.create(
        plan=plan, name="618", type="promotion", owner=owner, start_date=date(2026, 6, 1), end_date=date(2026, 6, 30)
    )
    issue = Issue.objects.create(campaign=campaign, description="设计素材延迟", occurred_on=date(2026, 6, 10))
    try:
        apps = migrate(AFTER)
        moved = apps.get_model("tracking", "Issue").objects.get(pk=issue.pk)
        assert moved.occurred_at == datetime(2026, 6, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
        assert moved.severity == "warning"

        apps = migrate(BEFORE)
        assert apps.get_model("tracking", "Issue").objects.get(pk=issue.pk).occurred_on == date(2026, 6, 10)
    finally:
        migrate(BEFORE)
        Campaign.objects.filter(pk=campaign.pk).delete()
        AnnualPlan.objects.filter(pk=plan.pk).delete()
        User.objects.filter(pk=owner.pk).delete()
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
