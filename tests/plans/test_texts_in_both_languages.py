"""Reference data and the plan's narrative in both languages, shown in the reader's: the metric
dictionary's definitions and data sources, the plan items and the quarterly focus."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from plans import services
from plans.models import Metric, PlanItem, QuarterFocus
from tests.api import url
from tests.factories import AnnualPlanFactory

pytestmark = pytest.mark.django_db

SEEDED = [
    "sales_revenue", "units_sold", "profit", "market_share", "roi", "new_customers", "cac", "repurchase_rate", "aov",
    "clv", "new_members", "members", "exposure", "reach", "engagement_rate", "ctr", "conversion_rate",
    "content_views", "positive_review_rate", "negative_response_hours", "marketing_cost",
]  # fmt: skip


def test_every_seeded_metric_has_its_definition_and_source_in_chinese():
    missing = Metric.objects.filter(code__in=SEEDED).filter(definition_zh="") | Metric.objects.filter(
        code__in=SEEDED, data_source_zh=""
    )

    assert Metric.objects.filter(code__in=SEEDED).count() == len(SEEDED)
    assert list(missing.values_list("code", flat=True)) == []


@pytest.mark.parametrize(
    ("language", "definition", "source"),
    [
        ("zh-hans", "已付款订单中的商品件数，不含退货。", "订单系统 / 电商后台"),
        ("en", "Number of units in paid orders, not counting returns.", "Order system / e-commerce back office"),
    ],
)
def test_the_metric_dictionary_shows_definitions_and_sources_in_the_readers_language(
    client, make_user, language, definition, source
):
    client.force_login(make_user(Role.STAFF, language=language))

    html = client.get(reverse("plans:metric_list")).content.decode()

    assert definition in html
    assert source in html


def test_a_text_in_one_language_only_is_shown_to_readers_of_the_other():
    metric = Metric.objects.get(code="units_sold")
    metric.definition_zh = ""

    with translation.override("zh-hans"):
        assert metric.definition == "Number of units in paid orders, not counting returns."


def test_the_api_gives_the_definition_in_the_requests_language_and_both_texts(client_as):
    client = client_as(Role.VIEWER)

    row = client.get(url("metric-detail", Metric.objects.get(code="cac").pk), HTTP_ACCEPT_LANGUAGE="zh-hans").json()

    assert row["definition"] == "营销成本 / 新客数。"
    assert (row["definition_en"], row["data_source_zh"]) == ("Marketing cost / new customers.", "财务与 CRM")


@pytest.mark.parametrize(("language", "title"), [("zh-hans", "价格战"), ("en", "Price war")])
def test_the_plan_page_shows_each_item_in_the_readers_language(client, make_user, language, title):
    plan = AnnualPlanFactory()
    services.plan_item_save(
        plan=plan,
        section="challenge",
        category="competition",
        title_zh="价格战",
        title_en="Price war",
        body_zh="竞品降价 20%",
    )
    services.quarter_focus_set(plan=plan, quarter=1, theme_zh="启动期", theme_en="Launch")
    client.force_login(make_user(Role.STAFF, language=language))

    html = client.get(plan.get_absolute_url()).content.decode()

    assert title in html
    assert {"zh-hans": "启动期", "en": "Launch"}[language] in html
    other = "Price war" if language == "zh-hans" else "价格战"
    assert other not in html
    assert "竞品降价 20%" in html  # English readers get the Chinese details when there are no English ones


def test_an_item_needs_a_title_in_one_language_at_least(client, manager):
    plan = AnnualPlanFactory()
    client.force_login(manager)

    response = client.post(
        reverse("plans:plan_item_create", args=[plan.pk, "strategy"]),
        {"category": "price", "title_zh": " ", "title_en": "", "body_en": "Details", "sort_order": 0},
    )

    assert response.status_code == 200
    assert "title_zh" in response.context["form"].errors
    assert not PlanItem.objects.exists()


def test_one_text_sent_through_the_api_goes_to_the_language_of_its_script(client_as):
    item = PlanItem.objects.create(
        plan=AnnualPlanFactory(), section="strategy", category="price", title_zh="稳价", title_en="Hold prices"
    )
    client = client_as(Role.MARKETING_MANAGER)

    response = client.patch(url("plan-item-detail", item.pk), {"title": "分层定价"})

    assert response.status_code == 200, response.json()
    item.refresh_from_db()
    assert (item.title_zh, item.title_en) == ("分层定价", "Hold prices")


def test_the_demo_plans_sections_and_quarters_carry_both_languages():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert PlanItem.objects.count() == 16
    assert not PlanItem.objects.filter(title_zh="").exists()
    assert not PlanItem.objects.filter(title_en="").exists()
    assert not PlanItem.objects.filter(body_zh="").exists()
    assert not PlanItem.objects.filter(body_en="").exists()
    assert not QuarterFocus.objects.filter(theme_zh="").exists()
    assert not QuarterFocus.objects.filter(key_actions_en="").exists()


def test_filling_the_dictionarys_chinese_again_keeps_a_definition_someone_wrote():
    from importlib import import_module

    from django.apps import apps

    Metric.objects.filter(code="roi").update(definition_zh="营销净利润 ÷ 营销成本（财务口径）")
    Metric.objects.filter(code="ctr").update(definition_zh="")

    import_module("plans.migrations.0004_reference_texts_in_both_languages").fill_chinese(apps, None)

    assert Metric.objects.get(code="roi").definition_zh == "营销净利润 ÷ 营销成本（财务口径）"
    assert Metric.objects.get(code="ctr").definition_zh == "点击量 / 曝光量。"
