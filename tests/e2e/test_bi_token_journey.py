"""A marketing manager creates a read-only BI token limited to one plan from their profile,
copies the key shown once, a BI tool reads that plan with it, and the manager revokes it; on a
desktop and on a 375 px phone."""

import pytest
import requests
from playwright.sync_api import expect

from accounts.models import APIToken, Role
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, AnnualPlanFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan():
    UserFactory(username="lin", roles=[Role.MARKETING_MANAGER])
    return AnnualPlanFactory(year=2026, title="2026 年度营销计划")


def create_read_and_revoke(page, live_server, plan):
    log_in(page, "lin", PASSWORD)
    page.goto("/accounts/profile/")
    page.locator("#bi-tokens-link").click()
    page.fill("#id_name", "Power BI 销售看板")
    page.select_option("#id_plan", str(plan.pk))
    page.locator("form button[type=submit]", has_text="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("only time it is shown")
    key = page.locator("#new-token-key").input_value()

    answer = requests.get(f"{live_server.url}/api/v1/plans/", headers={"Authorization": f"Token {key}"}, timeout=10)
    assert [row["id"] for row in answer.json()["results"]] == [plan.pk]

    page.locator("#token-table button", has_text="Revoke").click()
    expect(page.locator("#token-table")).to_contain_text("Revoked")
    again = requests.get(f"{live_server.url}/api/v1/plans/", headers={"Authorization": f"Token {key}"}, timeout=10)
    assert again.status_code == 401
    assert APIToken.objects.get().request_count == 1


def test_the_manager_creates_uses_and_revokes_a_bi_token(page, live_server, plan, screenshot):
    create_read_and_revoke(page, live_server, plan)

    screenshot(page, "bi-tokens")


def test_the_bi_tokens_page_fits_a_phone(phone_page, live_server, plan, screenshot):
    create_read_and_revoke(phone_page, live_server, plan)

    screenshot(phone_page, "bi-tokens-phone")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
