"""人力 (the budget's and resources' “people”, the template's word) and 人员 (persons) are each one
word: the RACI matrix's columns of persons read 人员, the budget category 人力."""

import pytest
from django.urls import reverse

from tests.factories import BudgetLineFactory, CampaignFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_the_raci_matrix_calls_its_columns_of_persons_renyuan(client, manager):
    manager.language = "zh-hans"
    manager.save()
    task = TaskFactory(stage__campaign=CampaignFactory(owner=manager))
    client.force_login(manager)

    html = client.get(reverse("tasks:raci_matrix", args=[task.campaign_id])).content.decode()

    assert 'scope="colgroup">人员</th>' in html
    assert "人力" not in html


def test_the_budget_category_people_stays_the_templates_renli(client, manager):
    manager.language = "zh-hans"
    manager.save()
    line = BudgetLineFactory(category="people")
    client.force_login(manager)

    html = client.get(line.plan.get_absolute_url()).content.decode()

    assert "人力" in html
