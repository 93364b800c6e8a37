"""The dashboard lists the campaigns under way worst first, at most DASHBOARD_CAMPAIGNS of them,
and says how many more the plan lists."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from config.views import DASHBOARD_CAMPAIGNS
from plans.models import PlanStatus
from tests.factories import AnnualPlanFactory, CampaignFactory, TargetFactory, record_value

pytestmark = pytest.mark.django_db


def campaigns_under_way(count: int, *, plan) -> list:
    today = timezone.localdate()
    return [
        CampaignFactory(plan=plan, name=f"方案 {n:02}", status="executing", start_date=date(2026, 1, 1), end_date=today)
        for n in range(count)
    ]


def test_every_campaign_under_way_is_listed_up_to_the_limit(client, manager, fresh_cache):
    plan = AnnualPlanFactory(status=PlanStatus.ACTIVE)
    campaigns_under_way(DASHBOARD_CAMPAIGNS, plan=plan)
    client.force_login(manager)

    html = client.get(reverse("dashboard")).content.decode()

    assert html.count('class="list-group-item list-group-item-action" href="/campaigns/') == DASHBOARD_CAMPAIGNS
    assert 'id="more-campaigns"' not in html


def test_past_the_limit_the_worst_are_listed_and_the_rest_counted(client, manager, fresh_cache):
    plan = AnnualPlanFactory(status=PlanStatus.ACTIVE)
    campaigns = campaigns_under_way(DASHBOARD_CAMPAIGNS + 1, plan=plan)
    for campaign in campaigns:
        TargetFactory(campaign=campaign, target_value=Decimal(100))
        record_value(campaign, on=campaign.end_date, value="100")  # on track…
    worst = campaigns[-1]
    worst.metric_values.update(value=Decimal(1))  # …but one, far behind
    worst.targets.update(target_value=Decimal(1000))
    client.force_login(manager)

    html = client.get(reverse("dashboard")).content.decode()

    assert html.count('class="list-group-item list-group-item-action" href="/campaigns/') == DASHBOARD_CAMPAIGNS
    assert worst.name in html
    assert 'id="more-campaigns"' in html
    assert "1 more campaign under way" in html
    assert f'href="{plan.get_absolute_url()}#campaigns"' in html
