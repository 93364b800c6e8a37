"""A bounded, schema-driven fuzz of every API operation (schemathesis), with the answers
validated against the OpenAPI schema: status codes, content types, headers and bodies must be
what the schema says, and no request may get a server error.

It runs against a live server (Django's LiveServerThread on a free port of localhost, real
HTTP with keep-alive, the whole middleware stack, the test database), as an administrator (who
may call every operation), on a small data set holding every kind of row, with the nulls an
API sends (an alert on a whole campaign has no target, a value no channel…). Ids in paths and
bodies point at those rows three times in four, so reads and writes get past "not found".

The data set is committed once for the module and the database flushed (reference data put
back) when it ends, rather than a flush per operation (as a transactional test would). Writes
of one operation are seen by the next, as they would be on a real server.

The reads (GET) run a second time with a BI tool's token limited to the data set's plan
(accounts.api.scope), so the token's answers (its plan's rows, 404 for another plan's, 403 where
an endpoint serves no plan's data) are what the schema says too.

Bounded: SCHEMA_FUZZ_EXAMPLES examples per operation (8 by default; half as many for the
token's reads: about 1,200 requests, about a minute on an idle machine), positive data only
(schema-valid input), the same examples every run (deterministic; set SCHEMA_FUZZ_EXAMPLES
higher to look further before a release).
"""

import json
import os
import zlib

import pytest
import requests
import schemathesis
from django.core.management import call_command
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Role
from accounts.services import api_token_create
from notifications.models import Notification
from plans.models import AnnualPlan, Channel, PlanItem, QuarterFocus
from tasks import services as task_services
from tasks.models import Assignment, AssignmentRole, TaskStatus
from tests.factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    CampaignFactory,
    ChatWebhookFactory,
    DepartmentFactory,
    MetricValueFactory,
    MilestoneFactory,
    StageFactory,
    TargetFactory,
    TaskFactory,
    ThresholdFactory,
    UserFactory,
    attainment_threshold,
    metric,
    open_alert,
)
from tracking.models import ThresholdKind
from tracking.services.issues import issue_create

EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "8"))
# The reads with a plan-limited token: fewer, as the administrator's pass already reads them.
TOKEN_EXAMPLES = max(1, EXAMPLES // 2)
CSRF_TOKEN = "fuzz" * 8
# The answers must be what the schema says. Not "valid input is accepted": a schema cannot say
# which ids exist or which dates a plan allows, so such input is rightly refused with a 400.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def _openapi() -> dict:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(_openapi())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE], max_examples=EXAMPLES, deterministic=True, database="none"
)
# The coverage phase's boundary cases number in the dozens per operation (minutes in all).
schema.config.phases.coverage.enabled = False


@pytest.fixture(scope="module")
def live(django_db_setup, django_db_blocker):
    """A live server over the test database, with the data set committed and an
    administrator's session; the database is flushed afterwards, reference data put back."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        admin_user = UserFactory(roles=[], username="root", is_staff=True, is_superuser=True)
        data = _dataset(admin_user)
        client = Client()
        client.force_login(admin_user)
        server = LiveServer("localhost")
        session = requests.Session()
        session.cookies.update({"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_TOKEN})
        # A BI tool's token limited to the data set's plan (accounts.api.scope), for the reads.
        plan = AnnualPlan.objects.get(pk=data["paths"]["plans"])
        _, key = api_token_create(name="fuzz", user=admin_user, scope=plan)
        token_session = requests.Session()
        token_session.headers["Authorization"] = f"Token {key}"
        try:
            yield {"url": server.url, "session": session, "token_session": token_session, "dataset": data}
        finally:
            session.close()
            token_session.close()
            server.stop()
            _flush()


def _flush() -> None:
    """Empty the database as a transactional test's end does, and restore the reference data
    that data migrations load (tests/conftest.py)."""
    import importlib

    from django.apps import apps

    from tests.conftest import REFERENCE_DATA_MIGRATIONS

    call_command("flush", interactive=False, verbosity=0)
    for app, migration, function in REFERENCE_DATA_MIGRATIONS:
        getattr(importlib.import_module(f"{app}.migrations.{migration}"), function)(apps, None)


def _dataset(admin_user) -> dict:
    """One row of every kind the API serves, by the path segment that serves it; and the ids
    a body refers to, by field name."""
    department = DepartmentFactory(name="电商运营部")
    staff = UserFactory(roles=[Role.STAFF], username="fuzz_staff", department=department, phone="13800000000")
    department.lead = staff
    department.save()
    plan = AnnualPlanFactory(year=2026, owner=admin_user)
    campaign = CampaignFactory(plan=plan, owner=admin_user)
    goal = TargetFactory(campaign=campaign)
    TargetFactory(plan=plan, campaign=None)
    stage = StageFactory(campaign=campaign)
    milestone = MilestoneFactory(stage=stage)
    task = TaskFactory(stage=stage, campaign=campaign, responsible=staff, accountable=admin_user)
    assignment = Assignment.objects.create(task=task, role=AssignmentRole.CONSULTED, department=department)
    update = task_services.task_set_status(task=task, status=TaskStatus.IN_PROGRESS, note="开工", by=staff)
    # Alerts with and without a target (a whole campaign's overdue tasks), none acknowledged.
    open_alert(attainment_threshold(goal, recipients=[admin_user]))
    campaign_wide = ThresholdFactory(kind=ThresholdKind.TASKS_OVERDUE, target=None, campaign=campaign, percent=None)
    alert = open_alert(campaign_wide, summary="3 tasks overdue")
    issue = issue_create(
        campaign=campaign,
        description="设计素材未到位",
        occurred_at=alert.opened_at,
        affected_tasks=[task],
        department=department,
        by=admin_user,
    )
    values = {
        "alerts": alert.pk,
        "assignments": assignment.pk,
        "budget-lines": BudgetLineFactory(plan=plan).pk,
        "campaigns": campaign.pk,
        "channels": Channel.objects.get(code="ecommerce").pk,
        "departments": department.pk,
        "issues": issue.pk,
        "metric-values": MetricValueFactory(campaign=campaign, metric=metric("units_sold"), channel=None).pk,
        "metrics": metric("units_sold").pk,
        "milestones": milestone.pk,
        "notifications": Notification.objects.filter(recipient=admin_user).values_list("pk", flat=True).first(),
        "plan-items": PlanItem.objects.create(plan=plan, section="strategy", category="price", title="稳价").pk,
        "plans": plan.pk,
        "quarter-focus": QuarterFocus.objects.create(plan=plan, quarter=1, theme="新品上市").pk,
        "stages": stage.pk,
        "status-updates": update.pk,
        "targets": goal.pk,
        "tasks": task.pk,
        "thresholds": campaign_wide.pk,
        "users": staff.pk,
        "webhooks": ChatWebhookFactory(department=department).pk,
    }
    assert all(values.values()), values
    fields = {
        "plan": plan.pk,
        "campaign": campaign.pk,
        "target": goal.pk,
        "parent": goal.pk,
        "stage": stage.pk,
        "task": task.pk,
        "threshold": campaign_wide.pk,
        "user": staff.pk,
        "responsible": staff.pk,
        "accountable": admin_user.pk,
        "owner": admin_user.pk,
        "lead": staff.pk,
        "department": department.pk,
        "alert": alert.pk,
        "issue": issue.pk,
    }
    return {"paths": values, "fields": fields, "codes": {"metric": "units_sold", "channel": "ecommerce"}}


def _known(generated, known):
    """The known row three times in four (whatever was generated), else the generated value."""
    return known if zlib.crc32(repr(generated).encode()) % 4 else generated


def _aim_at_rows(case, dataset: dict) -> None:
    """Point the case's path id and its body's references at rows that exist."""
    if case.path_parameters and "id" in case.path_parameters:
        segment = case.operation.path.removeprefix("/api/v1/").split("/")[0]
        if segment in dataset["paths"]:
            case.path_parameters["id"] = _known(case.path_parameters["id"], dataset["paths"][segment])
    if isinstance(case.body, dict):
        for name, value in case.body.items():
            if isinstance(value, int) and not isinstance(value, bool) and name in dataset["fields"]:
                case.body[name] = _known(value, dataset["fields"][name])
            elif isinstance(value, str) and name in dataset["codes"]:
                case.body[name] = _known(value, dataset["codes"][name])


@pytest.mark.schema_fuzz
# The mark makes pytest-django set up the test database (it looks at the marks); the data the
# live server reads is committed by the `live` fixture, before the test's own transaction.
@pytest.mark.django_db
@schema.parametrize()
# One live server, data set and signed-in session serve every example of every operation; a
# real server on a shared machine may take longer than Hypothesis' default 200 ms deadline.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
def test_every_operation_answers_as_the_schema_says(case, live):
    _aim_at_rows(case, live["dataset"])
    case.call_and_validate(
        base_url=live["url"], session=live["session"], headers={"X-CSRFToken": CSRF_TOKEN}, checks=CHECKS
    )


@pytest.mark.schema_fuzz
@pytest.mark.django_db
@schema.include(method="GET").parametrize()
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
    max_examples=TOKEN_EXAMPLES,
)
def test_every_read_answers_a_plan_limited_token_as_the_schema_says(case, live):
    """The reads again with a BI tool's token limited to one plan: its rows, 404 for another
    plan's, 403 where an endpoint serves no plan's data; all as the schema says."""
    _aim_at_rows(case, live["dataset"])
    case.call_and_validate(base_url=live["url"], session=live["token_session"], checks=CHECKS)
