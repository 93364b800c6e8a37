"""Which metrics count as output and cost in the channel ranking is the plan's setting, in the
plan form and the API; a cost metric cannot be the output."""

import pytest

from accounts.models import Role
from plans.ranking import ranking_metrics
from tests.api import url
from tests.factories import AnnualPlanFactory, metric

pytestmark = pytest.mark.django_db


def test_the_defaults_come_from_the_dictionary():
    output, costs, conversion = ranking_metrics(AnnualPlanFactory())

    assert output.code == "units_sold"
    assert [m.code for m in costs] == ["marketing_cost"]
    assert conversion.code == "conversion_rate"


def test_a_manager_sets_the_output_and_cost_metrics_in_the_api(client_as):
    plan = AnnualPlanFactory()
    api = client_as(Role.MARKETING_MANAGER)

    changed = api.patch(url("plan-detail", plan.pk), {"ranking_output_metric": "sales_revenue"})
    refused = api.patch(url("plan-detail", plan.pk), {"ranking_output_metric": "marketing_cost"})

    assert changed.status_code == 200, changed.content
    assert changed.json()["ranking_output_metric"] == "sales_revenue"
    assert refused.status_code == 400
    assert "ranking_output_metric" in refused.json()
    plan.refresh_from_db()
    assert ranking_metrics(plan)[0] == metric("sales_revenue")


def test_the_plan_form_offers_the_ranking_metrics(client, manager):
    plan = AnnualPlanFactory(owner=manager)
    client.force_login(manager)

    page = client.get(f"/plans/{plan.pk}/edit/").content.decode()

    assert 'name="ranking_output_metric"' in page
    assert 'name="ranking_cost_metric"' in page


@pytest.mark.parametrize("code", ["roi", "conversion_rate"])
def test_a_derived_metric_is_not_a_rankings_output(client_as, client, manager, code):
    # A ratio does not add up over a channel's week: the ranking shows conversion beside it.
    plan = AnnualPlanFactory(owner=manager)
    client.force_login(manager)

    refused = client_as(Role.MARKETING_MANAGER).patch(url("plan-detail", plan.pk), {"ranking_output_metric": code})
    page = client.get(f"/plans/{plan.pk}/edit/").content.decode()

    assert refused.status_code == 400
    assert "ranking_output_metric" in refused.json()
    assert f'value="{metric(code).pk}"' not in page.split('name="ranking_output_metric"')[1].split("</select>")[0]
