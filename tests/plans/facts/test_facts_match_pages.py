"""The facts of the demo agree with its plan page and campaign page: every target's row of
today (of its last day, once it has ended) holds the actual, what is expected, the attainment
and the status those pages show."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from plans.models import AnnualPlan, Campaign
from tests.api import url

pytestmark = pytest.mark.django_db

FOUR_PLACES = Decimal("0.0001")


def _as_of(target) -> str | None:
    """The day whose facts hold what the pages show today: today, or the last day of an
    ended target; None for one not started (the pages say so; no fact row is of today)."""
    today = timezone.localdate()
    if today < target.period_start:
        return None
    return min(today, target.period_end).isoformat()


def _figures(target) -> dict:
    attainment = target.attainment
    return {
        "cumulative_actual": None if target.actual is None else Decimal(str(target.actual)).quantize(FOUR_PLACES),
        "expected": None if attainment.expected is None else attainment.expected.quantize(FOUR_PLACES),
        "attainment_percent": attainment.percent,
        "status": attainment.status,
    }


def _facts_as_shown(client, targets, **filters) -> dict[int, dict]:
    """The facts row of each target on its _as_of day, one request per distinct day."""
    rows = {}
    for day in {_as_of(target) for target in targets.values()} - {None}:
        rows |= {pk: row for pk, row in _facts_on(client, day, **filters).items() if _as_of(targets[pk]) == day}
    return rows


def _facts_on(client, day, **filters) -> dict[int, dict]:
    response = client.get(url("facts-targets"), {"date_from": day, "date_to": day, "page_size": 100, **filters})
    assert response.status_code == 200, response.content
    assert response.json()["next"] is None
    return {
        row["target"]: {
            "cumulative_actual": None if row["cumulative_actual"] is None else Decimal(row["cumulative_actual"]),
            "expected": None if row["expected"] is None else Decimal(row["expected"]),
            "attainment_percent": None if row["attainment_percent"] is None else Decimal(row["attainment_percent"]),
            "status": row["status"],
        }
        for row in response.json()["results"]
    }


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())


def test_the_facts_of_today_are_what_the_plan_page_shows(client, client_as, demo):
    api = client_as(Role.MARKETING_MANAGER)
    client.force_login(api.user)
    plan = AnnualPlan.objects.order_by("pk").first()

    page = client.get(reverse("plans:plan_detail", args=[plan.pk]))

    plan_targets = {target.pk: target for target in page.context["targets"]}
    campaign_goals = {
        goal.pk: goal
        for campaign in page.context["campaigns"]
        for top in campaign.goals
        for goal in (top, *top.subgoals)
    }
    shown = {pk: _figures(t) for pk, t in (plan_targets | campaign_goals).items() if _as_of(t)}
    assert len(shown) > 3
    facts = _facts_as_shown(api, plan_targets, plan=plan.pk)
    for campaign in plan.campaigns.all():
        facts |= _facts_as_shown(api, campaign_goals, campaign=campaign.pk)
    assert facts == shown


def test_the_facts_of_today_are_what_the_campaign_page_shows(client, client_as, demo):
    api = client_as(Role.STAFF)
    client.force_login(client_as(Role.MARKETING_MANAGER).user)
    for campaign in Campaign.objects.all():
        page = client.get(reverse("plans:campaign_detail", args=[campaign.pk]))

        targets = {target.pk: target for target in page.context["targets"]}
        shown = {pk: _figures(target) for pk, target in targets.items() if _as_of(target)}
        assert shown
        assert _facts_as_shown(api, targets, campaign=campaign.pk) == shown
