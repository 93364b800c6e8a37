"""The target form in a browser: Q1–Q4 side by side with ¥ for an amount (switching with the
metric), in one row on a desktop and two on a phone, never wider than the screen."""

import pytest
from django.core.management import call_command

from accounts.models import User
from plans.models import AnnualPlan, Metric
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    User.objects.update(language="zh-hans")


def quarter_tops(page) -> list[float]:
    return [page.locator(f"#id_q{n}").bounding_box()["y"] for n in range(1, 5)]


def test_the_quarters_are_one_row_with_yuan_that_follows_the_metric(page, demo):
    log_in(page, "manager", "demo-pass-2026")
    plan = AnnualPlan.objects.get()

    page.goto(f"/plans/{plan.pk}/targets/new/")
    page.select_option("select[name=metric]", str(Metric.objects.get(code="sales_revenue").pk))

    assert len(set(quarter_tops(page))) == 1
    assert page.locator(".quarter-unit").first.is_visible()
    page.select_option("select[name=metric]", str(Metric.objects.get(code="new_customers").pk))
    assert not page.locator(".quarter-unit").first.is_visible()
    assert page.locator("input[name=sort_order]").count() == 0


def test_the_quarters_fit_a_phone(phone_page, demo, screenshot):
    log_in(phone_page, "manager", "demo-pass-2026")
    plan = AnnualPlan.objects.get()

    phone_page.goto(f"/plans/{plan.pk}/targets/new/")

    assert len(set(quarter_tops(phone_page))) == 2  # two by two
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(phone_page, "target-form-phone-zh")
