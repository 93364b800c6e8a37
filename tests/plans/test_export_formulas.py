"""The plan's XLSX export writes target names and budget descriptions as text, never as formulas."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import AnnualPlanFactory, BudgetLineFactory, TargetFactory

pytestmark = pytest.mark.django_db


def test_target_names_and_budget_descriptions_are_text_and_amounts_stay_numbers(client, manager):
    plan = AnnualPlanFactory(year=2026, owner=manager, budget=Decimal("1000000"))
    TargetFactory(plan=plan, campaign=None, name="=cmd|' /C calc'!A0", baseline=Decimal("-5"))
    BudgetLineFactory(plan=plan, description='@HYPERLINK("http://evil.example","x")', planned_amount=Decimal("250000"))
    client.force_login(manager)

    response = client.get(reverse("plans:plan_export", args=[plan.pk]))

    workbook = load_workbook(io.BytesIO(response.content))
    target_row = workbook.worksheets[0][2]
    name = target_row[0]
    assert (name.value, name.data_type, name.quotePrefix) == ("=cmd|' /C calc'!A0", "s", True)
    assert (target_row[4].value, target_row[4].data_type) == (-5, "n")
    budget_row = workbook.worksheets[1][2]
    assert budget_row[2].value == '@HYPERLINK("http://evil.example","x")'
    assert (budget_row[2].data_type, budget_row[2].quotePrefix) == ("s", True)
    assert (budget_row[3].value, budget_row[3].data_type) == (250000, "n")
