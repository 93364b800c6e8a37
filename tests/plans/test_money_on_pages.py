"""Every amount on the plan and campaign pages reads as money: ¥, with 万 and 亿 in Chinese."""

from decimal import Decimal

import pytest
from django.utils import translation

from accounts.models import Role
from tests.factories import AnnualPlanFactory, CampaignFactory, TargetFactory, metric
from tracking.models import ThresholdKind
from tracking.rules import describe
from tracking.services.thresholds import threshold_create

pytestmark = pytest.mark.django_db


def page(client, user, obj) -> str:
    client.force_login(user)
    return client.get(obj.get_absolute_url()).content.decode()


def test_a_plan_targets_quarterly_split_of_an_amount_reads_in_yuan(client, make_user):
    plan = AnnualPlanFactory()
    TargetFactory(
        plan=plan,
        campaign=None,
        metric=metric("sales_revenue"),
        target_value=Decimal(120_000_000),
        q1=Decimal(24_000_000),
        q2=Decimal(30_000_000),
        q3=Decimal(30_000_000),
        q4=Decimal(36_000_000),
    )

    html = page(client, make_user(Role.STAFF, language="zh-hans"), plan)

    def quarter(number: int) -> str:
        row = html[html.index(f'data-quarter="{number}"') :]
        return row[: row.index("</tr>")]

    assert "¥2,400万" in quarter(1)
    assert "¥3,600万" in quarter(4)


def test_what_sub_goals_leave_unsplit_of_an_amount_reads_in_yuan(client, make_user):
    campaign = CampaignFactory()
    goal = TargetFactory(campaign=campaign, metric=metric("marketing_cost"), target_value=Decimal(300_000))
    TargetFactory(campaign=campaign, parent=goal, metric=goal.metric, target_value=Decimal(100_000))

    html = page(client, make_user(Role.STAFF, language="zh-hans"), campaign)

    assert "¥10万" in html
    assert "¥20万" in html


@pytest.mark.parametrize(("language", "bound"), [("en", "¥50,000"), ("zh-hans", "¥5万")])
def test_a_cost_bound_in_a_rule_reads_as_money(language, bound):
    campaign = CampaignFactory()
    threshold = threshold_create(
        kind=ThresholdKind.VALUE_ABOVE,
        campaign=campaign,
        metric=metric("marketing_cost"),
        bound=Decimal(50_000),
        window_days=7,
    )

    with translation.override(language):
        assert f" {bound}" in describe(threshold)
