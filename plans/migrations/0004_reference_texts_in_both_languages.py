"""Texts of the metric dictionary and of the plans' narrative items and quarterly focus in both
languages.

A metric's definition and data source get a Chinese version beside the English one, filled in
for the dictionary that 0002 seeded (a definition someone already wrote in Chinese is kept).
A plan item's title and details, and a quarter's theme and key actions, move to a Chinese and
an English field, each text to the language of its script (Han characters: Chinese), so pages
show the reader's language.
"""

import re

from django.db import migrations, models
from django.db.models import Q

HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# code: (definition, data source) in Chinese, for the dictionary of 0002_reference_data.
CHINESE = {
    "sales_revenue": ("已付款订单的金额，扣除折扣，未扣除退货。", "订单系统 / 电商后台"),
    "units_sold": ("已付款订单中的商品件数，不含退货。", "订单系统 / 电商后台"),
    "profit": ("本期毛利：收入减去商品成本。", "财务"),
    "market_share": ("本品类在目标市场销售额中的占比。", "行业报告"),
    "roi": ("营销净利润 / 营销成本（5 即 1:5，或 500%）。", "财务"),
    "new_customers": ("本期首次下单的客户数。", "CRM"),
    "cac": ("营销成本 / 新客数。", "财务与 CRM"),
    "repurchase_rate": ("本期内再次下单的客户占比。", "CRM"),
    "aov": ("销售额 / 订单数。", "订单系统"),
    "clv": ("客户在整个合作关系中预计贡献的毛利。", "CRM"),
    "new_members": ("本期新加入的会员数。", "会员系统"),
    "members": ("期末的会员总数。", "会员系统"),
    "exposure": ("付费、自有和赢得媒体的曝光次数合计，剔除无效流量。", "广告平台与媒体报告"),
    "reach": ("触达的目标客群人数（去重）。", "广告平台"),
    "engagement_rate": ("（点赞 + 评论 + 转发）/ 浏览量。", "社交媒体平台"),
    "ctr": ("点击量 / 曝光量。", "广告平台"),
    "conversion_rate": ("订单数 / 访客数。", "电商后台"),
    "content_views": ("已发布内容的阅读或播放次数。", "内容平台"),
    "positive_review_rate": ("好评数 / 全部评价数。", "电商平台与用户调研"),
    "negative_response_hours": ("从发现负面帖子到首次回应所用的小时数。", "舆情监测"),
    "marketing_cost": ("全部营销支出：媒体、KOL、推广、物料、活动。", "财务"),
}


def fill_chinese(apps, schema_editor):
    """The seeded dictionary's definitions and data sources in Chinese, where none is written."""
    Metric = apps.get_model("plans", "Metric")
    for metric in Metric.objects.filter(code__in=CHINESE):
        definition, source = CHINESE[metric.code]
        changed = []
        if not metric.definition_zh:
            metric.definition_zh = definition
            changed.append("definition_zh")
        if not metric.data_source_zh:
            metric.data_source_zh = source
            changed.append("data_source_zh")
        if changed:
            metric.save(update_fields=changed)


def _split(rows, fields):
    for row in rows:
        for field in fields:
            text = getattr(row, field) or ""
            setattr(row, f"{field}_zh" if HAN.search(text) else f"{field}_en", text)
        row.save(update_fields=[f"{field}_{language}" for field in fields for language in ("zh", "en")])


def split_plan_items(apps, schema_editor):
    """Each plan item's title and details to the field of their language (its history too)."""
    for model in ("PlanItem", "HistoricalPlanItem"):
        _split(apps.get_model("plans", model).objects.all(), ["title", "body"])


def join_plan_items(apps, schema_editor):
    for model in ("PlanItem", "HistoricalPlanItem"):
        for row in apps.get_model("plans", model).objects.all():
            row.title = row.title_zh or row.title_en
            row.body = row.body_zh or row.body_en
            row.save(update_fields=["title", "body"])


def split_quarter_focus(apps, schema_editor):
    """Each quarter's theme and key actions to the field of their language (its history too)."""
    for model in ("QuarterFocus", "HistoricalQuarterFocus"):
        _split(apps.get_model("plans", model).objects.all(), ["theme", "key_actions"])


def join_quarter_focus(apps, schema_editor):
    for model in ("QuarterFocus", "HistoricalQuarterFocus"):
        for row in apps.get_model("plans", model).objects.all():
            row.theme = row.theme_zh or row.theme_en
            row.key_actions = row.key_actions_zh or row.key_actions_en
            row.save(update_fields=["theme", "key_actions"])


def _text(field_class, verbose_name, **kwargs):
    return field_class(blank=True, verbose_name=verbose_name, **kwargs)


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_plan_item_order")]

    operations = [
        # Metrics: definition and data source in English (renamed) and in Chinese.
        *[
            operation
            for model in ("metric", "historicalmetric")
            for operation in (
                migrations.RenameField(model_name=model, old_name="definition", new_name="definition_en"),
                migrations.RenameField(model_name=model, old_name="data_source", new_name="data_source_en"),
                migrations.AlterField(
                    model_name=model, name="definition_en", field=_text(models.TextField, "definition (English)")
                ),
                migrations.AlterField(
                    model_name=model,
                    name="data_source_en",
                    field=_text(models.CharField, "data source (English)", max_length=200),
                ),
                migrations.AddField(
                    model_name=model, name="definition_zh", field=_text(models.TextField, "definition (Chinese)")
                ),
                migrations.AddField(
                    model_name=model,
                    name="data_source_zh",
                    field=_text(models.CharField, "data source (Chinese)", max_length=200),
                ),
            )
        ],
        migrations.RunPython(fill_chinese, migrations.RunPython.noop),
        # Plan items: title and details in Chinese and in English.
        *[
            migrations.AddField(model_name=model, name=name, field=field)
            for model in ("planitem", "historicalplanitem")
            for name, field in (
                ("title_zh", _text(models.CharField, "title (Chinese)", max_length=200)),
                ("title_en", _text(models.CharField, "title (English)", max_length=200)),
                ("body_zh", _text(models.TextField, "details (Chinese)")),
                ("body_en", _text(models.TextField, "details (English)")),
            )
        ],
        migrations.RunPython(split_plan_items, join_plan_items),
        *[
            migrations.RemoveField(model_name=model, name=name)
            for model in ("planitem", "historicalplanitem")
            for name in ("title", "body")
        ],
        migrations.AddConstraint(
            model_name="planitem",
            constraint=models.CheckConstraint(condition=~Q(title_zh="", title_en=""), name="plan_item_has_a_title"),
        ),
        # Quarterly focus: theme and key actions in Chinese and in English.
        *[
            migrations.AddField(model_name=model, name=name, field=field)
            for model in ("quarterfocus", "historicalquarterfocus")
            for name, field in (
                ("theme_zh", _text(models.CharField, "theme (Chinese)", max_length=200)),
                ("theme_en", _text(models.CharField, "theme (English)", max_length=200)),
                ("key_actions_zh", _text(models.TextField, "key actions (Chinese)")),
                ("key_actions_en", _text(models.TextField, "key actions (English)")),
            )
        ],
        migrations.RunPython(split_quarter_focus, join_quarter_focus),
        *[
            migrations.RemoveField(model_name=model, name=name)
            for model in ("quarterfocus", "historicalquarterfocus")
            for name in ("theme", "key_actions")
        ],
        migrations.AddConstraint(
            model_name="quarterfocus",
            constraint=models.CheckConstraint(condition=~Q(theme_zh="", theme_en=""), name="quarter_focus_has_a_theme"),
        ),
    ]
