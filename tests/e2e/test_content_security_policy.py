"""Every page works under the strict Content-Security-Policy: the browser reports no violation
(no inline script, style or event handler left), and what used to be inline still works: the
RACI grid's menu, the progress slider's value, the confirmation before removing a chat group,
the threshold form's fields, the htmx sections, the charts, the API docs and the admin."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from notifications.models import ChatWebhook
from plans.models import AnnualPlan, Campaign
from tasks.models import Task
from tests.e2e.conftest import log_in
from tracking.models import Alert

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-2026"
# Installed before any page script: collects what the browser refuses under the policy.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and console error it reports kept in `page.problems`."""
    page.problems = []
    page.context.add_init_script(WATCH_VIOLATIONS)
    # A failed load is reported by the "response" listener, which knows the address (and does not
    # see the browser's own /favicon.ico request, which pages without an icon link make).
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and page.problems.append(f"console: {message.text}")
        ),
    )
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda response: response.status >= 400 and page.problems.append(f"{response.status} {response.url}"),
    )
    return page


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.status < 400, (url, response.status)
    assert "default-src 'self'" in response.headers["content-security-policy"], url
    assert "camera=()" in response.headers["permissions-policy"], url
    page.wait_for_load_state("networkidle")
    _assert_no_violation(page, url)


def _assert_no_violation(page, where: str) -> None:
    violations = page.evaluate("window.__cspViolations")
    assert violations == [], (where, violations)
    assert page.problems == [], (where, page.problems)


def test_the_managers_pages_raise_no_policy_violation(watched, demo):
    page = watched
    plan = AnnualPlan.objects.order_by("pk").first()
    campaign = Campaign.objects.order_by("pk").first()
    task = Task.objects.filter(campaign=campaign).order_by("pk").first()
    alert = Alert.objects.order_by("pk").first()
    log_in(page, "manager", PASSWORD)

    for url in [
        reverse("dashboard"),
        reverse("plans:plan_list"),
        reverse("plans:plan_detail", args=[plan.pk]),
        reverse("plans:campaign_detail", args=[campaign.pk]),
        reverse("tasks:timeline", args=[campaign.pk]),
        reverse("tasks:task_detail", args=[task.pk]),
        reverse("tasks:stage_list", args=[campaign.pk]),
        reverse("tracking:alert_list"),
        reverse("tracking:alert_detail", args=[alert.pk]),
        reverse("tracking:campaign_webhooks", args=[campaign.pk]),
        reverse("plans:metric_list"),
        reverse("plans:metric_values_import", args=[campaign.pk]),
        reverse("notifications:notification_list"),
        reverse("accounts:profile"),
        reverse("accounts:password_change"),
        reverse("api:docs"),
        reverse("api:api-root"),
        reverse("api:user-list"),
    ]:
        _visit(page, url)

    # The campaign page's htmx sections and chart came in without a violation.
    _visit(page, reverse("plans:campaign_detail", args=[campaign.pk]))
    expect(page.locator("#tasks")).to_contain_text("RACI")
    expect(page.locator("canvas").first).to_be_visible()
    # The API docs rendered their operations from the schema.
    _visit(page, reverse("api:docs"))
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()


def test_what_was_inline_still_works(watched, demo):
    page = watched
    campaign = Campaign.objects.order_by("pk").first()
    log_in(page, "manager", PASSWORD)

    # The RACI grid's menu (static/js/raci_matrix.js).
    _visit(page, reverse("tasks:raci_matrix", args=[campaign.pk]))
    page.locator("#raci-table tr[data-task] td").nth(3).click()
    expect(page.locator("#raci-menu")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#raci-menu")).to_be_hidden()

    # The threshold form shows the fields of the chosen kind (static/js/threshold_form.js).
    _visit(page, reverse("tracking:threshold_create", args=[campaign.pk]))
    page.select_option("[name=kind]", "tasks_overdue")
    expect(page.locator("#row-percent")).to_be_hidden()
    page.select_option("[name=kind]", "attainment_below")
    expect(page.locator("#row-percent")).to_be_visible()

    # Removing a chat group asks first (data-confirm, static/js/app.js); dismissing keeps it.
    webhook = ChatWebhook.objects.create(name="营销群", url="https://chat.example.com/hook", scope=campaign)
    _visit(page, reverse("tracking:campaign_webhooks", args=[campaign.pk]))
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator(f"form[action='{reverse('tracking:webhook_delete', args=[webhook.pk])}'] button").click()
    page.wait_for_timeout(300)
    assert asked == ["Remove this chat group?"]
    assert ChatWebhook.objects.filter(pk=webhook.pk).exists()
    _assert_no_violation(page, "webhook removal")


def test_the_progress_slider_shows_its_value(watched, demo):
    page = watched
    log_in(page, "ecommerce", PASSWORD)
    _visit(page, reverse("tasks:my_tasks"))

    slider = page.locator("input[type=range][data-shows-value]").first
    slider.evaluate("(input) => { input.value = 35; input.dispatchEvent(new Event('input', {bubbles: true})); }")

    expect(slider.locator("xpath=following-sibling::output[1]")).to_have_text("35%")
    _assert_no_violation(page, "my tasks")


def test_the_admin_and_the_public_pages_raise_no_policy_violation(watched, demo, screenshot):
    page = watched
    for url in [reverse("accounts:login"), reverse("accounts:password_reset"), reverse("admin:login")]:
        _visit(page, url)

    log_in(page, "admin", PASSWORD)
    for url in [
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:plans_campaign_changelist"),
        reverse("admin:accounts_apitoken_add"),
    ]:
        _visit(page, url)

    # The page that shows a new token's key (the person is picked as the autocomplete would).
    viewer = User.objects.get(username="viewer")
    page.evaluate(
        "([id, name]) => document.querySelector('#id_user').add(new Option(name, id, true, true))",
        [str(viewer.pk), viewer.username],
    )
    page.fill("#id_name", "Metabase")
    page.click("input[name=_save]")
    expect(page.locator("#api-token-key")).to_have_value(re.compile(r"^mpt_"))
    screenshot(page, "admin-token-key")
    _assert_no_violation(page, "token key page")
